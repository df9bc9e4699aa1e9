using System.Security.Claims;
using Linli.Accounts;
using Linli.Bot.Dialogs;
using Linli.Residents;
using Linli.Storage;

namespace Linli.TeaTable;

/// <summary>The tea table from the chat: the resident speaks as the resident of their own confirmed flat, as a signed link would sign them in.</summary>
public abstract class TeaTableChat(TeaTableService tea, ResidentDirectory residents, ResidentLinks links, LinliDatabase db) : IDialogHandler
{
    public abstract string Name { get; }
    protected TeaTableService Tea => tea;
    protected ResidentLinks Links => links;

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(DialogCompletion completion, CancellationToken cancellationToken)
    {
        var speaker = residents.WhoIs(completion.Turn.Activity);
        var binding = speaker.Binding;
        var person = binding is null ? null : db.People.FindById(binding.PersonId);
        var user = person is null
            ? new ClaimsPrincipal(LinliClaims.Identity("", "", speaker.CommunityId, [People.Role.Resident], null, "chat"))
            : AuthApi.ResidentPrincipal(person, binding!.CommunityId, binding.UnitId);
        try
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(Act(completion.Values, user, person is null ? null : binding));
        }
        catch (TeaTableException ex)
        {
            var mute = binding is null ? null : db.TeaMutes.FindById($"{binding.CommunityId}|{binding.PersonId}");
            return Task.FromResult<IReadOnlyDictionary<string, string>>(ex.Status switch
            {
                404 => new Dictionary<string, string> { [DialogResults.Outcome] = "not_found" },
                403 when mute is not null => new Dictionary<string, string>
                {
                    [DialogResults.Outcome] = "muted", ["reason"] = mute.Reason, ["until"] = mute.Until.ToOffset(TimeSpan.FromHours(8)).ToString("M/d HH:mm"),
                },
                429 => new Dictionary<string, string> { [DialogResults.Outcome] = "slow" },
                _ => new Dictionary<string, string> { [DialogResults.Outcome] = "closed" },
            });
        }
    }

    protected abstract Dictionary<string, string> Act(IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding);
}

/// <summary>tea_table.choose: list the community's open discussions (anyone), or go on to start or reply (a confirmed flat first).</summary>
public sealed class TeaTableChooseHandler(TeaTableService tea, ResidentDirectory residents, ResidentLinks links, LinliDatabase db) : TeaTableChat(tea, residents, links, db)
{
    public override string Name => "tea_table.choose";
    private const int Listed = 6;

    protected override Dictionary<string, string> Act(IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding)
    {
        var action = values.GetValueOrDefault("action");
        if (action is "start" or "reply")
            return binding is null
                ? new() { [DialogResults.Outcome] = "unbound", [DialogResults.Next] = "bind_unit" }
                : new() { [DialogResults.Next] = action == "start" ? "tea_table_start" : "tea_table_reply" };
        var threads = Tea.Threads(user, null, 0, Listed).Where(t => !t.Closed).ToList();
        if (threads.Count == 0) return new() { [DialogResults.Outcome] = "empty" };
        var lines = string.Join("\n", threads.Select(t => $"#{t.Id} {t.Title}（💬{t.PostCount}{(t.Vote is { Open: true } ? " · 🗳" : "")}）"));
        return binding is null
            ? new() { [DialogResults.Outcome] = "listed_unbound", ["threads"] = lines }
            : new() { [DialogResults.Outcome] = "listed", ["threads"] = lines, ["link"] = Links.Create(binding, "/tea") };
    }
}

/// <summary>tea_table.start: a new discussion, followed by its author (replies come to the chat as a digest).</summary>
public sealed class TeaTableStartHandler(TeaTableService tea, ResidentDirectory residents, ResidentLinks links, LinliDatabase db) : TeaTableChat(tea, residents, links, db)
{
    public override string Name => "tea_table.start";

    protected override Dictionary<string, string> Act(IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding)
    {
        var (thread, _) = Tea.CreateThread(user, values.GetValueOrDefault("title"), values.GetValueOrDefault("text"), null);
        return new() { [DialogResults.Outcome] = "started", ["id"] = thread.Id.ToString(), ["title"] = thread.Title, ["link"] = Links.Create(binding!, $"/tea/{thread.Id}") };
    }
}

/// <summary>tea_table.reply: a short reply to a discussion by its number.</summary>
public sealed class TeaTableReplyHandler(TeaTableService tea, ResidentDirectory residents, ResidentLinks links, LinliDatabase db) : TeaTableChat(tea, residents, links, db)
{
    public override string Name => "tea_table.reply";

    protected override Dictionary<string, string> Act(IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding)
    {
        var id = int.TryParse(values.GetValueOrDefault("thread"), out var n) ? n : 0;
        var thread = Tea.Thread(user, id);
        Tea.AddPost(user, id, values.GetValueOrDefault("reply_text"), null, null);
        return new() { [DialogResults.Outcome] = "replied", ["id"] = id.ToString(), ["title"] = thread.Title, ["link"] = Links.Create(binding!, $"/tea/{id}") };
    }
}
