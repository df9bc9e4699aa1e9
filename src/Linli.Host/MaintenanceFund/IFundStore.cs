namespace Linli.MaintenanceFund;

/// <summary>
/// Where a community's maintenance fund is kept: its entries, only ever added (there is no way here to change or
/// remove one) and numbered by the store without gaps in the same write that adds them, and the applications to use
/// or raise it. Every read names its community.
/// </summary>
public interface IFundStore
{
    // ---- entries ----

    /// <summary>
    /// Numbers <paramref name="draft"/> next in its community's fund (setting its id and number) and adds it.
    /// </summary>
    FundEntry Append(FundEntry draft);

    /// <summary>
    /// As <see cref="Append"/>, but only while entry <paramref name="afterNumber"/> is still the fund's last: what
    /// allowed the entry (a balance, what an application has spent) was read up to it and still holds. Null otherwise,
    /// and no number is taken.
    /// </summary>
    FundEntry? TryAppend(FundEntry draft, int afterNumber);

    /// <summary>The number of the community's last entry; 0 before its first.</summary>
    int LastNumber(string communityId);

    /// <summary>Every entry of the community, by number: the balances are shares of all of them.</summary>
    IReadOnlyList<FundEntry> Entries(string communityId);

    /// <summary>The community's latest entries, newest first.</summary>
    IReadOnlyList<FundEntry> Latest(string communityId, int take);

    /// <summary>The sum of the entries made against an application (its withdrawals: negative).</summary>
    decimal TotalFor(string communityId, string applicationNumber);

    // ---- applications ----

    /// <summary>How many applications the community made in <paramref name="year"/> (China time).</summary>
    int LastApplicationSequence(string communityId, int year);

    /// <summary>
    /// Adds the application as the <paramref name="sequence"/>th of <paramref name="year"/> (its number says so), if
    /// that is the year's next: false when another took it, so numbers have neither gaps nor duplicates.
    /// </summary>
    bool TryAddApplication(FundApplication application, int year, int sequence);

    FundApplication? FindApplication(string communityId, string number);

    /// <summary>The community's applications, newest first.</summary>
    IReadOnlyList<FundApplication> Applications(string communityId);

    /// <summary>
    /// Records the committee's confirmation of an emergency use, once: null when the application is not there or was
    /// confirmed already.
    /// </summary>
    FundApplication? TryConfirm(string communityId, string number, string by, DateTimeOffset at);
}
