using System.Security.Claims;
using Linli.Storage;
using Linli.Understanding;
using Microsoft.SemanticKernel;

namespace Linli.TeaTable;

/// <summary>
/// "What has been said so far": with a chat model, prompts/TeaTable/summarize.yaml over the thread's posts; without one
/// (or when it fails), an extractive summary that works offline: the most-reacted posts and the tally.
/// </summary>
public sealed class TeaTableSummaries(TeaTableService tea, LinliDatabase db, ChatPrompts prompts)
{
    public async Task<Summary> SummarizeAsync(ClaimsPrincipal user, int threadId, bool english, CancellationToken cancellationToken)
    {
        var thread = tea.Thread(user, threadId);
        var posts = db.TeaPosts.Find(p => p.ThreadId == threadId).Where(p => p.Hidden is null).OrderBy(p => p.Id).ToList();
        var top = posts.OrderByDescending(p => p.Reactions.Sum(r => r.Value.Count)).ThenBy(p => p.Id).Take(3)
            .Select(p => TeaTableService.View(p, null)).ToArray();
        var view = tea.View(thread, null);
        var tally = view.Vote is { } v
            ? $"agree {v.Tally.Agree.Owners} owners / {v.Tally.Agree.Area} m²; disagree {v.Tally.Disagree.Owners} / {v.Tally.Disagree.Area} m²; abstain {v.Tally.Abstain.Owners}; " +
              $"taking part {v.Tally.Participating.Owners} of {v.Tally.Total.Owners} owners, {v.Tally.Participating.Area} of {v.Tally.Total.Area} m²"
            : "";

        if (posts.Count > 0 && await prompts.CompleteAsync("TeaTable", "summarize", new KernelArguments
            {
                ["title"] = thread.Title, ["proposal"] = thread.Proposal?.Text ?? "", ["tally"] = tally,
                ["posts"] = string.Join("\n", posts.TakeLast(150).Select(p => $"- {p.Text.ReplaceLineEndings(" ")} [{p.Reactions.Sum(r => r.Value.Count)}]")),
                ["language"] = english ? "English" : "简体中文",
            }, TimeSpan.FromSeconds(15), cancellationToken) is { } summary)
            return new Summary(summary, "model", top);

        var people = posts.Select(p => p.AuthorId).Distinct().Count();
        var lines = new List<string> { english ? $"{posts.Count} posts from {people} neighbours." : $"{posts.Count} 条发言，{people} 位邻居参与。" };
        if (view.Vote is { Tally: var t })
            lines.Add(english
                ? $"Vote: {t.Agree.Owners} flats agree ({t.Agree.Area:0.##} m²), {t.Disagree.Owners} disagree, {t.Abstain.Owners} abstain; {t.Participating.Owners} of {t.Total.Owners} owners have taken part."
                : $"表决：同意 {t.Agree.Owners} 户（{t.Agree.Area:0.##} ㎡），反对 {t.Disagree.Owners} 户，弃权 {t.Abstain.Owners} 户；已参与 {t.Participating.Owners}/{t.Total.Owners} 户。");
        lines.AddRange(top.Where(p => p.Reactions.Values.Sum() > 0).Select(p =>
        {
            var text = posts.First(x => x.Id == p.Id).Text.ReplaceLineEndings(" ");
            text = text.Length > 60 ? text[..60] + "…" : text;
            return english ? $"· {p.AuthorName}: {text} ({p.Reactions.Values.Sum()} reactions)" : $"· {p.AuthorName}：{text}（{p.Reactions.Values.Sum()} 人回应）";
        }));
        return new Summary(string.Join("\n", lines), "offline", top);
    }
}
