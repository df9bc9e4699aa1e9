using System.Security.Claims;
using Linli.Accounts;
using Linli.Hosting;
using Linli.Storage;
using Linli.Uploads;

namespace Linli.TeaTable;

/// <summary>The tea table over HTTP: threads, posts, reactions, flags, moderation, proposals and votes. Signed-in people of the community only.</summary>
public static class TeaTableApi
{
    public const string FilesPath = "/api/tea/files";
    private const long MaxImageBytes = 5 * 1024 * 1024;

    public static IHostApplicationBuilder AddTeaTable(this IHostApplicationBuilder builder)
    {
        builder.AddCheckedOptions<TeaTableOptions>(TeaTableOptions.SectionName);
        builder.Services.AddSingleton<TeaTableService>();
        builder.Services.AddSingleton<TeaTablePresence>();
        builder.Services.AddSingleton<TeaTableSummaries>();
        builder.Services.AddSingleton<TeaTableFeed>();
        builder.Services.AddSingleton<ITeaTableFeed>(sp => sp.GetRequiredService<TeaTableFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TeaTableFeed>());
        builder.Services.AddHostedService<TeaTableTimers>();
        Type[] handlers = [typeof(TeaTableChooseHandler), typeof(TeaTableStartHandler), typeof(TeaTableReplyHandler)];
        foreach (var handler in handlers)
            builder.Services.AddSingleton(typeof(Bot.Dialogs.IDialogHandler), handler);
        return builder;
    }

    public static WebApplication MapTeaTable(this WebApplication app)
    {
        var tea = app.MapGroup("/api/tea").WithTags("Tea table").RequireAuthorization().RequireRateLimiting(RateLimits.Writes);
        tea.MapGet("/threads", (ClaimsPrincipal user, TeaTableService s, int? building, int? skip, int? take) =>
            Run(() => s.Threads(user, building, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 30, 1, 100)))).WithSummary("Threads of your community: pinned first, then the liveliest");
        tea.MapPost("/threads", (NewThreadRequest r, ClaimsPrincipal user, TeaTableService s) =>
            Run(() => { var (t, _) = s.CreateThread(user, r.Title, r.Text, r.Building); return s.View(t, user); }, 201)).WithSummary("Start a thread: a title and the opening post");
        tea.MapGet("/threads/{id:int}", (int id, ClaimsPrincipal user, TeaTableService s, int? after, int? before, int? take) =>
            Run(() => s.Page(user, id, after, before, take))).WithSummary("A thread and a page of posts (latest, ?before= older, ?after= newer)");
        tea.MapPost("/threads/{id:int}/posts", (int id, TextRequest r, ClaimsPrincipal user, TeaTableService s) =>
            Run(() => s.AddPost(user, id, r.Text, r.ReplyTo, r.Attachments), 201)).WithSummary("Reply (Markdown or plain text, sanitized); replyTo quotes a post");
        tea.MapPatch("/posts/{id:int}", (int id, TextRequest r, ClaimsPrincipal user, TeaTableService s) =>
            Run(() => s.Edit(user, id, r.Text))).WithSummary("Correct your own post (within 15 minutes)");
        tea.MapPost("/posts/{id:int}/reactions", (int id, ReactionRequest r, ClaimsPrincipal user, TeaTableService s) =>
            Run(() => s.React(user, id, r.Emoji))).WithSummary("Toggle a reaction");
        tea.MapPost("/posts/{id:int}/flags", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableService s) =>
            Run(() => { s.Flag(user, id, r.Reason); return "flagged"; }, 202)).WithSummary("Flag a post for the moderators, with a reason");
        tea.MapPut("/threads/{id:int}/following", (int id, ClaimsPrincipal user, TeaTableService s) => Run(() => { s.Follow(user, id, true); return "following"; }))
            .WithSummary("Have new posts pushed to your chat (a digest, at most hourly)");
        tea.MapDelete("/threads/{id:int}/following", (int id, ClaimsPrincipal user, TeaTableService s) => Run(() => { s.Follow(user, id, false); return "not following"; }))
            .WithSummary("Stop following");

        // Moderation: volunteers, staff and admins of the community; every action in the audit trail.
        tea.MapPost("/posts/{id:int}/hide", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Hide(user, id, r.Reason, true)))
            .WithTags("Moderation").WithSummary("Hide a post, with a reason");
        tea.MapPost("/posts/{id:int}/unhide", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Hide(user, id, r.Reason, false)))
            .WithTags("Moderation").WithSummary("Show a hidden post again, with a reason");
        tea.MapPost("/threads/{id:int}/lock", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Lock(user, id, r.Reason, true)))
            .WithTags("Moderation").WithSummary("Lock a thread (no new posts), with a reason");
        tea.MapPost("/threads/{id:int}/unlock", (int id, ReasonRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Lock(user, id, r.Reason, false)))
            .WithTags("Moderation").WithSummary("Unlock a thread");
        tea.MapPost("/threads/{id:int}/pin", (int id, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Pin(user, id, true))).WithTags("Moderation").WithSummary("Pin a thread");
        tea.MapPost("/threads/{id:int}/unpin", (int id, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Pin(user, id, false))).WithTags("Moderation").WithSummary("Unpin a thread");
        tea.MapPut("/threads/{id:int}/slow-mode", (int id, SlowModeRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.SlowMode(user, id, r.Seconds)))
            .WithTags("Moderation").WithSummary("One post per person per N seconds (0: off)");
        tea.MapPut("/threads/{id:int}/schedule", (int id, ScheduleRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Schedule(user, id, r.CloseAt, r.ReopenAt)))
            .WithTags("Moderation").WithSummary("Timers: lock the thread at closeAt, open it again at reopenAt");
        tea.MapPost("/mutes", (MuteRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.MutePerson(user, r.PersonId, r.Minutes, r.Reason)))
            .WithTags("Moderation").WithSummary("Mute a person in your community for a while, with a reason");
        tea.MapDelete("/mutes/{personId}", (string personId, ClaimsPrincipal user, TeaTableService s) => Run(() => { s.Unmute(user, personId); return "unmuted"; }))
            .WithTags("Moderation").WithSummary("Lift a mute");
        tea.MapGet("/review", (ClaimsPrincipal user, TeaTableService s) => Run(() => s.ReviewQueue(user)))
            .WithTags("Moderation").WithSummary("Flagged and hidden posts, for the moderators");

        // Proposals, votes, conclusions.
        tea.MapPut("/threads/{id:int}/proposal", (int id, ProposalRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Propose(user, id, r)))
            .WithTags("Votes").WithSummary("Put a proposal with its kind of matter and a deadline");
        tea.MapPut("/threads/{id:int}/vote", (int id, VoteRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Vote(user, id, r.Stance, r.Reason)))
            .WithTags("Votes").WithSummary("An owner's vote (agree, disagree, abstain) and reason, for their flats in scope; may be changed until the deadline");
        tea.MapGet("/threads/{id:int}/votes", (int id, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Votes(user, id)))
            .WithTags("Votes").WithSummary("Who voted what: the residents' committee only");
        tea.MapPost("/threads/{id:int}/close", (int id, CloseRequest r, ClaimsPrincipal user, TeaTableService s) => Run(() => s.Close(user, id, r)))
            .WithTags("Votes").WithSummary("Close with a written conclusion: what was decided, who follows up, by when, the follow-up tickets");
        tea.MapGet("/threads/{id:int}/summary", async (int id, string? lang, ClaimsPrincipal user, TeaTableSummaries summaries, CancellationToken ct) =>
        {
            try { return Results.Ok(await summaries.SummarizeAsync(user, id, lang is "en" or "en-US", ct)); }
            catch (TeaTableException ex) { return Problem(ex); }
        }).WithSummary("What has been said so far (the chat model's summary, or the most-reacted posts and the tally offline)");

        tea.MapPost("/files", UploadAsync).WithSummary("Upload an image for a post (JPEG, PNG, GIF or WebP, at most 5 MB)").DisableAntiforgery()
            .RequireRateLimiting(RateLimits.Uploads);
        tea.MapGet("/files/{id}", (string id, ClaimsPrincipal user, UploadStore uploads, HttpContext http) =>
            uploads.Find(UploadStore.TeaFolder, id) is { } file && file.CommunityId == user.CommunityId()
                ? UploadStore.Serve(file, http)
                : Results.Problem(statusCode: 404, title: "No such image")).WithSummary("An image of a post");
        app.MapHub<TeaTableHub>(TeaTableHub.Path);
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext http, ClaimsPrincipal user, UploadStore uploads, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType) return Results.Problem(statusCode: 400, title: "Send the image as multipart/form-data");
        if (http.Request.ContentLength > MaxImageBytes + 10_000) return Results.Problem(statusCode: 413, title: "Too large", detail: "Images are at most 5 MB.");
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(cancellationToken); }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Results.Problem(statusCode: 400, title: "The upload could not be read", detail: ex.Message);
        }
        if (form.Files is not [var file] || file.Length > MaxImageBytes)
            return Results.Problem(statusCode: 400, title: "One image, please", detail: "A single JPEG, PNG, GIF or WebP image of at most 5 MB.");
        await using var content = file.OpenReadStream();
        // The name and declared type are the sender's word; the bytes decide.
        var stored = await uploads.SaveImageAsync(content, UploadStore.TeaFolder, user.CommunityId()!, user.PersonId()!, null, cancellationToken);
        if (stored is null)
            return Results.Problem(statusCode: 400, title: "Not an image", detail: "Only JPEG, PNG, GIF or WebP images can be attached.");
        return Results.Created($"{FilesPath}/{stored.Id}", new { id = stored.Id, url = $"{FilesPath}/{stored.Id}" });
    }

    private static IResult Run<T>(Func<T> action, int status = 200)
    {
        try
        {
            var result = action();
            return status == 201 ? Results.Json(result, statusCode: 201) : status == 202 ? Results.Accepted(value: result) : Results.Ok(result);
        }
        catch (TeaTableException ex)
        {
            return Problem(ex);
        }
    }

    private static IResult Problem(TeaTableException ex) => Results.Problem(statusCode: ex.Status, title: ex.Title, detail: ex.Message);
}
