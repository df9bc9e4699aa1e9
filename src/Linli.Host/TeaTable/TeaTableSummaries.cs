using System.Security.Claims;
using Linli.Understanding;
using Microsoft.SemanticKernel;

namespace Linli.TeaTable;

/// <summary>
/// "What has been said so far": with a chat model, prompts/TeaTable/summarize.yaml over the thread's posts; without one
/// (or when it fails), an extractive summary that works offline: the most-reacted posts and the tally.
/// </summary>
public sealed class TeaTableSummaries(
    TeaTableThreads reading, ITeaPostStore store, TeaTableViews views, ChatPrompts prompts)
{
    public async Task<Summary> SummarizeAsync(
        ClaimsPrincipal user, int threadId, bool english, CancellationToken cancellationToken)
    {
        var thread = reading.Thread(user, threadId);
        var posts = store.After(thread.CommunityId, threadId, 0, int.MaxValue).Where(p => p.Hidden is null).ToList();
        var top = posts.OrderByDescending(Reactions).ThenBy(p => p.Id).Take(3)
            .Select(p => TeaTableViews.View(p, null)).ToArray();
        var view = views.View(thread, null);
        var tally = view.Vote is { Tally: var v } ? VoteForThePrompt(v) : "";

        var arguments = new KernelArguments
        {
            ["title"] = thread.Title, ["proposal"] = thread.Proposal?.Text ?? "", ["tally"] = tally,
            ["posts"] = string.Join("\n",
                posts.TakeLast(150).Select(p => $"- {p.Text.ReplaceLineEndings(" ")} [{Reactions(p)}]")),
            ["language"] = english ? "English" : "简体中文",
        };
        var timeout = TimeSpan.FromSeconds(15);
        if (posts.Count > 0
            && await prompts.CompleteAsync("TeaTable", "summarize", arguments, timeout, cancellationToken)
                is { } summary)
            return new Summary(summary, "model", top);

        var people = posts.Select(p => p.AuthorId).Distinct().Count();
        var lines = new List<string>
        {
            english
                ? $"{posts.Count} posts from {people} neighbours."
                : $"{posts.Count} 条发言，{people} 位邻居参与。",
        };
        if (view.Vote is { Tally: var t }) lines.Add(english ? VoteInEnglish(t) : VoteInChinese(t));
        lines.AddRange(top.Where(p => p.Reactions.Values.Sum() > 0).Select(p =>
        {
            var text = posts.First(x => x.Id == p.Id).Text.ReplaceLineEndings(" ");
            text = text.Length > 60 ? text[..60] + "…" : text;
            var count = p.Reactions.Values.Sum();
            return english
                ? $"· {p.AuthorName}: {text} ({count} reactions)"
                : $"· {p.AuthorName}：{text}（{count} 人回应）";
        }));
        return new Summary(string.Join("\n", lines), "offline", top);
    }

    private static int Reactions(Post post) => post.Reactions.Sum(r => r.Value.Count);

    private static string VoteForThePrompt(Tally v) =>
        $"agree {v.Agree.Owners} owners / {v.Agree.Area} m²; disagree {v.Disagree.Owners} / {v.Disagree.Area} m²; " +
        $"abstain {v.Abstain.Owners}; taking part {v.Participating.Owners} of {v.Total.Owners} owners, " +
        $"{v.Participating.Area} of {v.Total.Area} m²";

    private static string VoteInEnglish(Tally t) =>
        $"Vote: {t.Agree.Owners} flats agree ({t.Agree.Area:0.##} m²), {t.Disagree.Owners} disagree, " +
        $"{t.Abstain.Owners} abstain; {t.Participating.Owners} of {t.Total.Owners} owners have taken part.";

    private static string VoteInChinese(Tally t) =>
        $"表决：同意 {t.Agree.Owners} 户（{t.Agree.Area:0.##} ㎡），反对 {t.Disagree.Owners} 户，" +
        $"弃权 {t.Abstain.Owners} 户；已参与 {t.Participating.Owners}/{t.Total.Owners} 户。";
}
