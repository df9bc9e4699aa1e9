namespace Linli.TeaTable;

/// <summary>Who is muted in a community, until when: one mute per person and community.</summary>
public interface ITeaMuteStore
{
    Mute? Find(string communityId, string personId);

    /// <summary>Mutes the person, replacing an earlier mute of theirs (a retry lands once).</summary>
    void Save(string communityId, string personId, Mute mute);

    /// <summary>Lifts the mute; false when there was none.</summary>
    bool Delete(string communityId, string personId);
}
