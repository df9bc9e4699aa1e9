using Linli.Accounts;
using Linli.People;
using Linli.Storage;
using Linli.TeaTable;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Linli.Pages.Tea;

/// <summary>What every tea-table page knows about the reader; tea.js does the rest through the API and the hub.</summary>
[Authorize]
public abstract class TeaPage(LinliDatabase db) : PageModel
{
    public bool English => Request.Query["lang"] is var l && (l == "en" || l == "en-US");
    public string T(string zh, string en) => English ? en : zh;
    public string CommunityName => db.Communities.FindById(User.CommunityId() ?? "") is { } c ? (English ? c.NameEn : c.Name) : "";
    public string PersonId => User.PersonId() ?? "";
    public string Name => User.DisplayName();
    public bool Moderator => TeaTableRules.IsModerator(User);
    public bool Committee => TeaTableRules.SeesVotes(User);
    public bool Owner => User.Is(Role.Owner);
}

public sealed class IndexModel(LinliDatabase db) : TeaPage(db)
{
    public void OnGet() { }
}

public sealed class ThreadModel(LinliDatabase db) : TeaPage(db)
{
    public int Id { get; private set; }
    public void OnGet(int id) => Id = id;
}

public sealed class ModerationModel(LinliDatabase db) : TeaPage(db)
{
    public void OnGet() { }
}
