using System.Security.Claims;
using Linli.Accounts;
using Linli.Bot.Dialogs;
using Linli.Hosting;
using Linli.Tickets;
using Linli.Understanding;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.SemanticKernel;

namespace Linli.StaffConsole;

/// <summary>A community's canned replies: the answers staff send most, edited by the office itself.</summary>
public sealed record CannedReplies
{
    /// <summary>The community id.</summary>
    public required string Id { get; init; }
    public required List<string> Items { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }

    public static readonly string[] Defaults =
    [
        "您好，已收到您的反馈，我们正在安排，请稍等。",
        "师傅大约 30 分钟内上门，请家里留人。",
        "方便发一张现场照片吗？我们好准备工具和材料。",
        "已经处理好了，麻烦您看一下，有问题随时在这里说。",
        "Hello, we have your report and are arranging it now.",
    ];
}

public sealed record CannedRepliesUpdate(string[]? Items);

public sealed record NoteRequest(string? Text);

public sealed record StaffMember(string Id, string Name, string? Title, bool OnDuty);

public sealed record DraftReply(string Text);

/// <summary>
/// What the staff console needs beside the ticket API: colleagues, canned replies, notes, the conversation, a draft.
/// </summary>
public static class ConsoleApi
{
    public const int MaxCannedReplies = 50, MaxReplyLength = 500, MaxNoteLength = 2000;

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api").WithTags("Staff console").RequireAuthorization(AuthApi.ServicePolicy)
            .RequireRateLimiting(Hosting.RateLimits.Writes).RequireStaffOf();
        HandoffApi.Map(staff);
        routes.MapHub<StaffConsoleHub>(StaffConsoleHub.Path);
        staff.MapGet("/communities/{communityId}/staff", Staff)
            .WithSummary("Staff of the community (to assign or transfer to), and who is on duty");
        staff.MapGet("/communities/{communityId}/canned-replies", GetCannedReplies)
            .WithSummary("The community's canned replies");
        staff.MapPut("/communities/{communityId}/canned-replies", PutCannedReplies)
            .WithSummary("Replace the community's canned replies");
        staff.MapPost("/tickets/{number}/notes", AddNote)
            .WithSummary("An internal note for colleagues (never shown to the resident)");
        staff.MapGet("/tickets/{number}/conversation", Conversation)
            .WithSummary("The resident's conversation with Linli (phone numbers masked), oldest first");
        staff.MapGet("/tickets/categories", Categories)
            .WithSummary("What each ticket category id is called, in zh-CN and en, by kind");
        staff.MapPost("/tickets/{number}/draft", DraftAsync)
            .WithSummary("A draft reply from the chat model, for staff to edit (503 when no model is configured)");
        return routes;
    }

    private static IResult Staff(string communityId, TicketPeople people, DutyRosters rosters)
    {
        var onDuty = rosters.Roster(communityId).ToHashSet();
        return TypedResults.Ok(people.Staff(communityId)
            .Select(p => new StaffMember(p.Id, p.Name, p.Title, onDuty.Contains(p.Id))).ToArray());
    }

    private static IResult GetCannedReplies(string communityId, ICannedReplyStore replies) =>
        TypedResults.Ok(replies.Find(communityId)?.Items ?? [.. CannedReplies.Defaults]);

    private static IResult PutCannedReplies(string communityId, CannedRepliesUpdate update, ClaimsPrincipal user,
        ICannedReplyStore replies, AuditTrail audit, TimeProvider time)
    {
        var items = (update.Items ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).Distinct().ToList();
        if (items.Count > MaxCannedReplies || items.Any(i => i.Length > MaxReplyLength))
            throw DomainProblem.Bad("console.canned_too_many",
                new { count = MaxCannedReplies, length = MaxReplyLength });
        replies.Save(new CannedReplies
        {
            Id = communityId, Items = items, UpdatedAt = time.GetUtcNow(), UpdatedBy = user.DisplayName(),
        });
        audit.Record(user, "canned_replies.set", communityId, $"{items.Count} replies");
        return TypedResults.Ok(items);
    }

    private static IResult AddNote(string number, NoteRequest request, ClaimsPrincipal user, TicketService tickets,
        TicketWorkflow workflow, TicketPeople people, AuditTrail audit, TimeProvider time)
    {
        _ = tickets.Own(user, number) ?? throw TicketsApi.NotFound(number);
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxNoteLength)
            throw DomainProblem.Bad("console.note_length");
        var changed = workflow.AddNote(number, user.DisplayName(), request.Text.Trim());
        audit.Record(user, "ticket.note", number);
        return TypedResults.Ok(TicketViews.View(changed, people, time));
    }

    private static IResult Conversation(string number, ClaimsPrincipal user, TicketService tickets,
        TranscriptStore transcripts, AuditTrail audit)
    {
        var t = tickets.Own(user, number) ?? throw TicketsApi.NotFound(number);
        audit.Record(user, "conversation.read", number);
        return TypedResults.Ok(transcripts.Read(TranscriptStore.Key(t.Reporter.ChannelId, t.Reporter.ConversationId)));
    }

    private static Ok<Dictionary<string, Dictionary<string, string[]>>> Categories(DialogManager dialogs) =>
        TypedResults.Ok(
        dialogs.Dialogs.Values.Where(d => d.Intent is not null)
            .Select(d => (Kind: d.Intent!, Step: d.Steps.FirstOrDefault(s => s.Id == "category")))
            .Where(x => x.Step is not null)
            .ToDictionary(x => x.Kind,
                x => x.Step!.Choices.ToDictionary(c => c.Id, c => new[] { c.Title("zh-CN"), c.Title("en") })));

    private static async Task<IResult> DraftAsync(string number, ClaimsPrincipal user, TicketService tickets,
        TranscriptStore transcripts, ChatPrompts prompts, CancellationToken cancellationToken)
    {
        var t = tickets.Own(user, number) ?? throw TicketsApi.NotFound(number);
        if (!prompts.IsConfigured) throw new DomainProblem(503, "console.no_chat_model");
        var lines = transcripts.Read(TranscriptStore.Key(t.Reporter.ChannelId, t.Reporter.ConversationId), 20);
        var english = lines.LastOrDefault(l => l.Role == "user") is { } last && !last.Text.Any(IsChinese);
        var draft = await prompts.CompleteAsync("StaffConsole", "draft_reply", new KernelArguments
        {
            ["number"] = t.Number, ["kind"] = t.Kind, ["category"] = t.Category ?? "", ["status"] = t.Status.ToString(),
            ["urgency"] = t.Urgency, ["location"] = t.Location ?? "", ["text"] = t.Text ?? "",
            ["conversation"] = string.Join("\n", lines.Select(l => $"{l.Role}: {l.Text}")),
            ["language"] = english ? "English" : "简体中文",
        }, TimeSpan.FromSeconds(10), cancellationToken);
        return draft is null
            ? throw new DomainProblem(503, "console.chat_model_silent")
            : TypedResults.Ok(new DraftReply(draft));
    }

    private static bool IsChinese(char c) => c >= '\u4e00' && c <= '\u9fff';
}
