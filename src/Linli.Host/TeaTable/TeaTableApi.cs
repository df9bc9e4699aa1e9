using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.Uploads;

namespace Linli.TeaTable;

/// <summary>
/// The tea table over HTTP: threads, posts, reactions, flags, moderation, proposals and votes. Signed-in people of
/// the community only. Refusals are <see cref="DomainProblem"/>s, answered as problem+json wherever they are thrown.
/// </summary>
public static class TeaTableApi
{
    public const string FilesPath = "/api/tea/files";
    private const long MaxImageBytes = 5 * 1024 * 1024;

    public static WebApplication Map(WebApplication app)
    {
        var tea = app.MapGroup("/api/tea").WithTags("Tea table").RequireAuthorization()
            .RequireRateLimiting(RateLimits.Writes);
        MapTalk(tea);
        MapModeration(tea.MapGroup("").WithTags("Moderation"));
        MapVotes(tea.MapGroup("").WithTags("Votes"));
        tea.MapPost("/files", UploadAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.Uploads)
            .WithSummary("Upload an image for a post (JPEG, PNG, GIF or WebP, at most 5 MB)");
        tea.MapGet("/files/{id}", (string id, ClaimsPrincipal user, UploadStore uploads, HttpContext http) =>
                uploads.Find(UploadStore.TeaFolder, id) is { } file
                && file.CommunityId == user.CommunityId()
                    ? UploadStore.Serve(file, http)
                    : throw DomainProblem.NotFound("tea.no_such_image"))
            .WithSummary("An image of a post");
        app.MapHub<TeaTableHub>(TeaTableHub.Path);
        return app;
    }

    private static void MapTalk(RouteGroupBuilder tea)
    {
        tea.MapGet("/threads", (ClaimsPrincipal user, TeaTableThreads s, int? building, int? skip, int? take) =>
                Results.Ok(s.Threads(user, building, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 30, 1, 100))))
            .WithSummary("Threads of your community: pinned first, then the liveliest");
        tea.MapPost("/threads", (NewThreadRequest r, ClaimsPrincipal user, TeaTablePosts s, TeaTableViews views) =>
            {
                var (thread, _) = s.CreateThread(user, r.Title, r.Text, r.Building);
                return Results.Json(views.View(thread, user), statusCode: 201);
            })
            .WithSummary("Start a thread: a title and the opening post");
        tea.MapGet("/threads/{id:int}",
                (int id, ClaimsPrincipal user, TeaTableThreads s, int? after, int? before, int? take) =>
                    Results.Ok(s.Page(user, id, after, before, take)))
            .WithSummary("A thread and a page of posts (latest, ?before= older, ?after= newer)");
        tea.MapPost("/threads/{id:int}/posts", (int id, TextRequest r, ClaimsPrincipal user, TeaTablePosts s) =>
                Results.Json(s.AddPost(user, id, r.Text, r.ReplyTo, r.Attachments), statusCode: 201))
            .WithSummary("Reply (Markdown or plain text, sanitized); replyTo quotes a post");
        tea.MapPatch("/posts/{id:int}", (int id, TextRequest r, ClaimsPrincipal user, TeaTablePosts s) =>
                Results.Ok(s.Edit(user, id, r.Text)))
            .WithSummary("Correct your own post (within 15 minutes)");
        tea.MapPost("/posts/{id:int}/reactions", (int id, ReactionRequest r, ClaimsPrincipal user, TeaTablePosts s) =>
                Results.Ok(s.React(user, id, r.Emoji)))
            .WithSummary("Toggle a reaction");
        tea.MapPost("/posts/{id:int}/flags", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTablePosts s) =>
            {
                s.Flag(user, id, r.Reason);
                return Results.Accepted(value: "flagged");
            })
            .WithSummary("Flag a post for the moderators, with a reason");
        tea.MapPut("/threads/{id:int}/following", (int id, ClaimsPrincipal user, TeaTablePosts s) =>
            {
                s.Follow(user, id, true);
                return Results.Ok("following");
            })
            .WithSummary("Have new posts pushed to your chat (a digest, at most hourly)");
        tea.MapDelete("/threads/{id:int}/following", (int id, ClaimsPrincipal user, TeaTablePosts s) =>
            {
                s.Follow(user, id, false);
                return Results.Ok("not following");
            })
            .WithSummary("Stop following");
        tea.MapGet("/threads/{id:int}/summary",
                async (int id, string? lang, ClaimsPrincipal user, TeaTableSummaries summaries, CancellationToken ct) =>
                    Results.Ok(await summaries.SummarizeAsync(user, id, lang is "en" or "en-US", ct)))
            .WithSummary("What has been said so far " +
                "(the chat model's summary, or the most-reacted posts and the tally offline)");
    }

    /// <summary>Volunteers, staff and admins of the community; every action in the audit trail.</summary>
    private static void MapModeration(RouteGroupBuilder tea)
    {
        tea.MapPost("/posts/{id:int}/hide", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.Hide(user, id, r.Reason, true)))
            .WithSummary("Hide a post, with a reason");
        tea.MapPost("/posts/{id:int}/unhide", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.Hide(user, id, r.Reason, false)))
            .WithSummary("Show a hidden post again, with a reason");
        tea.MapPost("/threads/{id:int}/lock", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.Lock(user, id, r.Reason, true)))
            .WithSummary("Lock a thread (no new posts), with a reason");
        tea.MapPost("/threads/{id:int}/unlock",
                (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                    Results.Ok(s.Lock(user, id, r.Reason, false)))
            .WithSummary("Unlock a thread");
        tea.MapPost("/threads/{id:int}/pin", (int id, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.Pin(user, id, true)))
            .WithSummary("Pin a thread");
        tea.MapPost("/threads/{id:int}/unpin", (int id, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.Pin(user, id, false)))
            .WithSummary("Unpin a thread");
        tea.MapPut("/threads/{id:int}/slow-mode",
                (int id, SlowModeRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                    Results.Ok(s.SlowMode(user, id, r.Seconds)))
            .WithSummary("One post per person per N seconds (0: off)");
        tea.MapPut("/threads/{id:int}/schedule",
                (int id, ScheduleRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                    Results.Ok(s.Schedule(user, id, r.CloseAt, r.ReopenAt)))
            .WithSummary("Timers: lock the thread at closeAt, open it again at reopenAt");
        tea.MapPost("/mutes", (MuteRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.MutePerson(user, r.PersonId, r.Minutes, r.Reason)))
            .WithSummary("Mute a person in your community for a while, with a reason");
        tea.MapDelete("/mutes/{personId}", (string personId, ClaimsPrincipal user, TeaTableModeration s) =>
            {
                s.Unmute(user, personId);
                return Results.Ok("unmuted");
            })
            .WithSummary("Lift a mute");
        tea.MapGet("/review", (ClaimsPrincipal user, TeaTableModeration s) => Results.Ok(s.ReviewQueue(user)))
            .WithSummary("Flagged and hidden posts, for the moderators");
    }

    /// <summary>Proposals, votes, conclusions.</summary>
    private static void MapVotes(RouteGroupBuilder tea)
    {
        tea.MapPut("/threads/{id:int}/proposal", (int id, ProposalRequest r, ClaimsPrincipal user, TeaTableVoting s) =>
                Results.Ok(s.Propose(user, id, r)))
            .WithSummary("Put a proposal with its kind of matter and a deadline");
        tea.MapPut("/threads/{id:int}/vote", (int id, VoteRequest r, ClaimsPrincipal user, TeaTableVoting s) =>
                Results.Ok(s.Vote(user, id, r.Stance, r.Reason)))
            .WithSummary("An owner's vote (agree, disagree, abstain) and reason, for their flats in scope; " +
                "may be changed until the deadline");
        tea.MapGet("/threads/{id:int}/votes", (int id, ClaimsPrincipal user, TeaTableVoting s) =>
                Results.Ok(s.Votes(user, id)))
            .WithSummary("Who voted what: the residents' committee only");
        tea.MapPost("/threads/{id:int}/close", (int id, CloseRequest r, ClaimsPrincipal user, TeaTableModeration s) =>
                Results.Ok(s.Close(user, id, r)))
            .WithSummary("Close with a written conclusion: what was decided, who follows up, by when, " +
                "the follow-up tickets");
    }

    private static async Task<IResult> UploadAsync(
        HttpContext http, ClaimsPrincipal user, UploadStore uploads, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
            throw DomainProblem.Bad("tea.image_multipart");
        if (http.Request.ContentLength > MaxImageBytes + 10_000)
            throw new DomainProblem(413, "tea.image_too_large");
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(cancellationToken); }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            throw DomainProblem.Bad("tea.upload_unreadable", new { reason = ex.Message });
        }
        if (form.Files is not [var file] || file.Length > MaxImageBytes)
            throw DomainProblem.Bad("tea.one_image");
        await using var content = file.OpenReadStream();
        // The name and declared type are the sender's word; the bytes decide.
        var stored = await uploads.SaveImageAsync(
            content, UploadStore.TeaFolder, user.CommunityId()!, user.PersonId()!, null, cancellationToken);
        if (stored is null)
            throw DomainProblem.Bad("tea.not_an_image");
        return Results.Created($"{FilesPath}/{stored.Id}", new { id = stored.Id, url = $"{FilesPath}/{stored.Id}" });
    }
}
