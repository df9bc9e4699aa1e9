using Linli.Accounts;
using Linli.People;
using Linli.TeaTable;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Linli.Communities;

namespace Linli.Pages.Tea;

/// <summary>What every tea-table page knows about the reader; tea.js does the rest through the API and the hub.</summary>
[Authorize]
public abstract class TeaPage(ICommunityStore communities) : PageModel
{
    public bool English => Request.Query["lang"] is var l && (l == "en" || l == "en-US");
    public string T(string zh, string en) => English ? en : zh;
    public string CommunityName =>
        communities.Find(User.CommunityId() ?? "") is { } c ? (English ? c.NameEn : c.Name) : "";
    public string PersonId => User.PersonId() ?? "";
    public string Name => User.DisplayName();
    public bool Moderator => TeaTableRules.IsModerator(User);
    public bool Committee => TeaTableRules.SeesVotes(User);
    public bool Owner => User.Is(Role.Owner);
}

public sealed class IndexModel(ICommunityStore communities) : TeaPage(communities)
{
    public void OnGet() { }
}

public sealed class ThreadModel(ICommunityStore communities) : TeaPage(communities)
{
    public int Id { get; private set; }
    public void OnGet(int id) => Id = id;
}

public sealed class ModerationModel(ICommunityStore communities) : TeaPage(communities)
{
    public void OnGet() { }
}
