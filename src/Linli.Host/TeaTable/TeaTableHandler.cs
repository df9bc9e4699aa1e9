using System.Security.Claims;
using Linli.Accounts;
using Linli.Bot.Dialogs;
using Linli.Calendar;
using Linli.Hosting;
using Linli.Residents;

namespace Linli.TeaTable;

/// <summary>What the chat's tea-table handlers need: the tea table, and who is speaking.</summary>
public sealed class TeaTableChatParts(
    TeaTableThreads threads, TeaTablePosts posts, ITeaMuteStore mutes, TeaTableDirectory directory,
    ResidentDirectory residents, ResidentLinks links)
{
    public TeaTableThreads Threads => threads;
    public TeaTablePosts Posts => posts;
    public ITeaMuteStore Mutes => mutes;
    public TeaTableDirectory Directory => directory;
    public ResidentDirectory Residents => residents;
    public ResidentLinks Links => links;
}

/// <summary>
/// The tea table from the chat: the resident speaks as the resident of their own confirmed flat, as a signed link
/// would sign them in.
/// </summary>
public abstract class TeaTableChat(TeaTableChatParts parts) : IDialogHandler
{
    public abstract string Name { get; }
    protected TeaTableThreads Threads => parts.Threads;
    protected TeaTablePosts Posts => parts.Posts;
    protected ResidentLinks Links => parts.Links;

    public Task<IReadOnlyDictionary<string, string>> CompleteAsync(
        DialogCompletion completion, CancellationToken cancellationToken)
    {
        var speaker = parts.Residents.WhoIs(completion.Turn.Activity);
        var binding = speaker.Binding;
        var person = binding is null ? null : parts.Directory.Person(binding.CommunityId, binding.PersonId);
        var user = person is null
            ? new ClaimsPrincipal(
                LinliClaims.Identity("", "", speaker.CommunityId, [People.Role.Resident], null, "chat"))
            : AuthApi.ResidentPrincipal(person, binding!.CommunityId, binding.UnitId);
        try
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(
                Act(completion.Values, user, person is null ? null : binding));
        }
        catch (DomainProblem problem)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>>(Refused(problem, binding));
        }
    }

    /// <summary>A refusal as the dialog tells it: not found, muted (until when, why), too fast, or closed.</summary>
    private Dictionary<string, string> Refused(DomainProblem problem, ResidentBinding? binding)
    {
        var mute = binding is null ? null : parts.Mutes.Find(binding.CommunityId, binding.PersonId);
        return problem.Status switch
        {
            404 => new() { [DialogResults.Outcome] = "not_found" },
            403 when mute is not null => new()
            {
                [DialogResults.Outcome] = "muted", ["reason"] = mute.Reason,
                ["until"] = mute.Until.InChina().ToString("M/d HH:mm"),
            },
            429 => new() { [DialogResults.Outcome] = "slow" },
            _ => new() { [DialogResults.Outcome] = "closed" },
        };
    }

    protected abstract Dictionary<string, string> Act(
        IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding);
}

/// <summary>
/// tea_table.choose: list the community's open discussions (anyone), or go on to start or reply (a confirmed flat
/// first).
/// </summary>
public sealed class TeaTableChooseHandler(TeaTableChatParts parts) : TeaTableChat(parts)
{
    public override string Name => "tea_table.choose";
    private const int Listed = 6;

    protected override Dictionary<string, string> Act(
        IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding)
    {
        var action = values.GetValueOrDefault("action");
        if (action is "start" or "reply")
            return binding is null
                ? new() { [DialogResults.Outcome] = "unbound", [DialogResults.Next] = "bind_unit" }
                : new() { [DialogResults.Next] = action == "start" ? "tea_table_start" : "tea_table_reply" };
        var threads = Threads.Threads(user, null, 0, Listed).Where(t => !t.Closed).ToList();
        if (threads.Count == 0) return new() { [DialogResults.Outcome] = "empty" };
        var lines = string.Join("\n", threads.Select(t =>
            $"#{t.Id} {t.Title}（💬{t.PostCount}{(t.Vote is { Open: true } ? " · 🗳" : "")}）"));
        if (binding is null) return new() { [DialogResults.Outcome] = "listed_unbound", ["threads"] = lines };
        var link = Links.Create(binding, "/tea");
        return new() { [DialogResults.Outcome] = "listed", ["threads"] = lines, ["link"] = link };
    }
}

/// <summary>tea_table.start: a new discussion, followed by its author (replies come to the chat as a digest).</summary>
public sealed class TeaTableStartHandler(TeaTableChatParts parts) : TeaTableChat(parts)
{
    public override string Name => "tea_table.start";

    protected override Dictionary<string, string> Act(
        IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding)
    {
        var title = values.GetValueOrDefault("title");
        var (thread, _) = Posts.CreateThread(user, title, values.GetValueOrDefault("text"), null);
        return new()
        {
            [DialogResults.Outcome] = "started", ["id"] = thread.Id.ToString(), ["title"] = thread.Title,
            ["link"] = Links.Create(binding!, $"/tea/{thread.Id}"),
        };
    }
}

/// <summary>tea_table.reply: a short reply to a discussion by its number.</summary>
public sealed class TeaTableReplyHandler(TeaTableChatParts parts) : TeaTableChat(parts)
{
    public override string Name => "tea_table.reply";

    protected override Dictionary<string, string> Act(
        IReadOnlyDictionary<string, string> values, ClaimsPrincipal user, ResidentBinding? binding)
    {
        var id = int.TryParse(values.GetValueOrDefault("thread"), out var n) ? n : 0;
        var thread = Threads.Thread(user, id);
        Posts.AddPost(user, id, values.GetValueOrDefault("reply_text"), null, null);
        return new()
        {
            [DialogResults.Outcome] = "replied", ["id"] = id.ToString(), ["title"] = thread.Title,
            ["link"] = Links.Create(binding!, $"/tea/{id}"),
        };
    }
}
