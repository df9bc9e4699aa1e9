using Linli.Accounts;
using Linli.People;

namespace Linli.Seeding;

/// <summary>
/// Sign-ins for the demo's staff, printed in the README: user names by job, one shared demo password.
/// Another community's accounts carry its id first ("syn0001.manager").
/// </summary>
public static class DemoAccounts
{
    public const string Password = "linli-demo";

    private static readonly Dictionary<string, string[]> NamesByTitle = new()
    {
        ["物业经理"] = ["manager"], ["客服专员"] = ["service"], ["维修工"] = ["repair1", "repair2"],
        ["安全员"] = ["safety"], ["人民调解员"] = ["mediator"], ["社区网格员"] = ["admin"],
    };

    /// <param name="passwordHash">One hash for all (hashing is deliberately slow; these share a password anyway).</param>
    public static IEnumerable<Account> For(IReadOnlyList<Person> people, string communityId, bool isDemo, string passwordHash)
    {
        var used = new Dictionary<string, int>();
        foreach (var person in people.Where(p => p.Title is not null && NamesByTitle.ContainsKey(p.Title)))
        {
            var names = NamesByTitle[person.Title!];
            var n = used[person.Title!] = used.GetValueOrDefault(person.Title!) + 1;
            if (n > names.Length) continue;
            yield return new Account
            {
                Id = isDemo ? names[n - 1] : $"{communityId}.{names[n - 1]}", PersonId = person.Id, CommunityId = communityId,
                Roles = [.. person.Roles], PasswordHash = passwordHash,
            };
        }
        // Residents who volunteer as tea-table moderators, and the residents' committee: volunteer1…, committee1…
        foreach (var (role, name) in new[] { (Role.Volunteer, "volunteer"), (Role.Committee, "committee") })
        {
            var n = 0;
            foreach (var person in people.Where(p => p.Title is null && p.Has(role)))
                yield return new Account
                {
                    Id = isDemo ? $"{name}{++n}" : $"{communityId}.{name}{++n}", PersonId = person.Id, CommunityId = communityId,
                    Roles = [.. person.Roles], PasswordHash = passwordHash,
                };
        }
    }
}
