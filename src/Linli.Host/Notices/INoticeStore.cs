namespace Linli.Notices;

/// <summary>
/// Where notices are kept. Every read names its community; ids come from the caller, so a retried write lands once.
/// </summary>
public interface INoticeStore
{
    /// <summary>Adds the notice, or replaces the one with its id (a retry of the same publish).</summary>
    void Save(Notice notice);

    Notice? Find(string communityId, string id);

    /// <summary>The community's notices, newest first.</summary>
    IReadOnlyList<Notice> Latest(string communityId, int take = int.MaxValue);
}
