using System.Text.Json;
using Linli.Bot.Schema;

namespace Linli.Tests.Bot;

public class ActivitySchemaTests
{
    private const string FromEmulator = """
        {"type":"message","id":"a1","timestamp":"2026-11-26T10:00:00.123Z","serviceUrl":"http://localhost:5000",
         "channelId":"emulator","from":{"id":"u1","name":"陈阿姨","role":"user"},
         "conversation":{"id":"c1","isGroup":false},
         "recipient":{"id":"bot","role":"bot"},"text":"你好","locale":"zh-CN","textFormat":"plain",
         "channelData":{"clientActivityID":"x-1","nested":{"a":[1,2]}},"futureField":{"kept":true},"attachments":[]}
        """;

    [Fact]
    public void ReadsTheSchemaAndKeepsWhatItDoesNotModel()
    {
        var activity = ActivityJson.Deserialize(FromEmulator)!;
        Assert.Equal("message", activity.Type);
        Assert.Equal("陈阿姨", activity.From!.Name);
        Assert.Equal("x-1", activity.ClientActivityId);

        var written = JsonDocument.Parse(ActivityJson.Serialize(activity)).RootElement;
        Assert.True(written.GetProperty("futureField").GetProperty("kept").GetBoolean());
        Assert.Equal(2, written.GetProperty("channelData").GetProperty("nested").GetProperty("a")[1].GetInt32());
        Assert.Equal("你好", written.GetProperty("text").GetString());
        Assert.False(written.TryGetProperty("speak", out _)); // nulls are left out
    }

    [Fact]
    public void AReplySwapsTheSidesAndPointsBack()
    {
        var reply = ActivityJson.Deserialize(FromEmulator)!.CreateReply("您好");
        Assert.Equal(("bot", "u1"), (reply.From!.Id, reply.Recipient!.Id));
        Assert.Equal("a1", reply.ReplyToId);
        Assert.Equal("c1", reply.Conversation!.Id);
        Assert.Equal("http://localhost:5000", reply.ServiceUrl);
        Assert.Null(reply.Id);
        Assert.Null(reply.Timestamp);
    }

    [Fact]
    public void ThereferenceLeadsBackToTheUser()
    {
        var reference = ActivityJson.Deserialize(FromEmulator)!.GetConversationReference();
        var message = reference.CreateMessage("维修师傅已出发");
        Assert.Equal(("bot", "u1", "c1", "emulator"),
            (message.From!.Id, message.Recipient!.Id, message.Conversation!.Id, message.ChannelId));
        Assert.Null(message.ReplyToId);
    }

    [Fact]
    public void ButtonsAreImBackSuggestedActions()
    {
        var action = CardAction.ImBack("报修");
        var json = JsonDocument.Parse(JsonSerializer.Serialize(action, ActivityJson.Options)).RootElement;
        Assert.Equal("imBack", json.GetProperty("type").GetString());
        Assert.Equal("报修", json.GetProperty("value").GetString());
    }
}
