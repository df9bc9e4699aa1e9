using LiteDB;
using Linli.Calendar;
using Linli.Channels.BotFramework;
using Linli.Channels.DirectLine;
using Linli.Communities;
using Linli.Fees;
using Linli.People;
using Linli.Residents;
using Linli.Tickets;

namespace Linli.Storage.LiteDb;

/// <summary>
/// The one LiteDB database of the process: every collection name, type mapping and index lives here.
/// </summary>
public sealed class LinliDatabase : LiteDatabase
{
    /// <summary>Index names; queries that want an expression index must use the same expression text.</summary>
    public static class Indexes
    {
        public const string UnitPeriod = "UnitPeriod";
        public const string UnitPeriodExpression = "$.UnitId + '/' + $.Period";
        public const string CommunityPeriod = "CommunityPeriod";
        public const string CommunityPeriodExpression = "$.CommunityId + '/' + $.Period";
    }

    private readonly DatabaseLock? _lock;

    private readonly ILogger? _log;

    private LinliDatabase(ConnectionString connection, DatabaseLock? fileLock, ILogger? log)
        : base(connection, CreateMapper())
    {
        _lock = fileLock;
        _log = log;
        Location = connection.Filename;
        // Ids in memory compare as the file compares them.
        var ids = StringComparer.Create(Collation.Culture, Collation.SortOptions);
        TranscriptHeads = new(ids);
        KnownStates = new(4096, ids);
        KnownBindings = new(16_384, ids);
        KnownHandoffs = new(4096, ids);
        EnsureIndexes();
    }

    /// <summary>The full path of the database file, or ":memory:".</summary>
    public string Location { get; }

    public ILiteCollection<Community> Communities => GetCollection<Community>("communities");
    public ILiteCollection<Building> Buildings => GetCollection<Building>("buildings");
    public ILiteCollection<Unit> Units => GetCollection<Unit>("units");
    public ILiteCollection<Person> People => GetCollection<Person>("people");
    public ILiteCollection<Bill> Bills => GetCollection<Bill>("bills");
    public ILiteCollection<Payment> Payments => GetCollection<Payment>("payments");
    public ILiteCollection<FeeTotals> FeeTotals => GetCollection<FeeTotals>("fee_totals");
    public ILiteCollection<FlatArrears> FlatArrears => GetCollection<FlatArrears>("flat_arrears");
    public ILiteCollection<SeedRecord> Seeds => GetCollection<SeedRecord>("seeds");
    public ILiteCollection<SettingRecord> Settings => GetCollection<SettingRecord>("settings");

    // Channels and conversations
    public ILiteCollection<ConversationStateRecord> ConversationStates => GetCollection<ConversationStateRecord>("conversation_states");
    public ILiteCollection<ConversationReferenceRecord> ConversationReferences => GetCollection<ConversationReferenceRecord>("conversation_references");
    public ILiteCollection<DirectLineConversation> DirectLineConversations => GetCollection<DirectLineConversation>("directline_conversations");
    public ILiteCollection<DirectLineActivityRecord> DirectLineActivities => GetCollection<DirectLineActivityRecord>("directline_activities");
    public ILiteCollection<ProcessedActivity> ProcessedActivities => GetCollection<ProcessedActivity>("processed_activities");
    public ILiteCollection<OutboxItem> Outbox => GetCollection<OutboxItem>("connector_outbox");
    public ILiteCollection<Channels.OutboxText> TextOutbox => GetCollection<Channels.OutboxText>("text_outbox");
    public ILiteCollection<Channels.WeChat.WeChatChoices> WeChatChoices =>
        GetCollection<Channels.WeChat.WeChatChoices>("wechat_choices");
    public ILiteCollection<Ticket> Tickets => GetCollection<Ticket>("tickets");
    public ILiteCollection<ResidentBinding> ResidentBindings => GetCollection<ResidentBinding>("resident_bindings");
    public ILiteCollection<BindingCode> BindingCodes => GetCollection<BindingCode>("binding_codes");
    public ILiteCollection<CodeRequest> CodeRequests => GetCollection<CodeRequest>("code_requests");
    public ILiteCollection<Linli.Accounts.Account> Accounts => GetCollection<Linli.Accounts.Account>("accounts");
    public ILiteCollection<Linli.Accounts.UsedLink> UsedLinks => GetCollection<Linli.Accounts.UsedLink>("used_links");
    public ILiteCollection<Linli.Accounts.AuditEntry> AuditLog => GetCollection<Linli.Accounts.AuditEntry>("audit_log");
    public ILiteCollection<Linli.StaffConsole.HandoffRecord> Handoffs => GetCollection<Linli.StaffConsole.HandoffRecord>("handoffs");
    public ILiteCollection<DutyRoster> DutyRosters => GetCollection<DutyRoster>("duty_rosters");
    /// <summary>Transcript lines, alone or a turn's together: read through <see cref="LiteTranscriptStore"/>.</summary>
    public const string TranscriptsName = "transcripts";
    public ILiteCollection<Linli.StaffConsole.CannedReplies> CannedReplies => GetCollection<Linli.StaffConsole.CannedReplies>("canned_replies");
    public ILiteCollection<Linli.TeaTable.TeaThread> TeaThreads => GetCollection<Linli.TeaTable.TeaThread>("tea_threads");
    public ILiteCollection<Linli.TeaTable.Post> TeaPosts => GetCollection<Linli.TeaTable.Post>("tea_posts");
    public ILiteCollection<Linli.TeaTable.VoteRecord> TeaVotes => GetCollection<Linli.TeaTable.VoteRecord>("tea_votes");
    public ILiteCollection<Linli.TeaTable.Mute> TeaMutes => GetCollection<Linli.TeaTable.Mute>("tea_mutes");
    public ILiteCollection<Linli.TeaTable.DigestMark> TeaDigests => GetCollection<Linli.TeaTable.DigestMark>("tea_digests");
    public ILiteCollection<PublicRevenue.LedgerLine> RevenueLines =>
        GetCollection<PublicRevenue.LedgerLine>("revenue_lines");
    public ILiteCollection<PublicRevenue.MonthClose> RevenueCloses =>
        GetCollection<PublicRevenue.MonthClose>("revenue_closes");
    public ILiteCollection<PublicRevenue.SignOff> RevenueSignOffs =>
        GetCollection<PublicRevenue.SignOff>("revenue_signoffs");
    public ILiteCollection<PublicRevenue.Objection> RevenueObjections =>
        GetCollection<PublicRevenue.Objection>("revenue_objections");
    public ILiteCollection<PublicRevenue.Auditor> RevenueAuditors =>
        GetCollection<PublicRevenue.Auditor>("revenue_auditors");
    public ILiteCollection<MaintenanceFund.FundEntry> FundEntries =>
        GetCollection<MaintenanceFund.FundEntry>("fund_entries");
    public ILiteCollection<MaintenanceFund.FundApplication> FundApplications =>
        GetCollection<MaintenanceFund.FundApplication>("fund_applications");
    public ILiteCollection<Linli.Notices.Notice> Notices => GetCollection<Linli.Notices.Notice>("notices");
    /// <summary>
    /// One document per project, its money lines and updates inside (see <see cref="Linli.Projects.Project"/>).
    /// </summary>
    public ILiteCollection<Linli.Projects.Project> Projects => GetCollection<Linli.Projects.Project>("projects");
    public ILiteCollection<Linli.Mediation.MediationCase> MediationCases =>
        GetCollection<Linli.Mediation.MediationCase>("mediation_cases");

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction: every write in it lands, or none does (LiteDB transactions belong
    /// to the calling thread, so <paramref name="work"/> must not await).
    /// </summary>
    public T InTransaction<T>(Func<T> work)
    {
        // Transactions share the gate; a backup holds it alone (see Exclusively).
        _transactions.EnterReadLock();
        try
        {
            var mine = BeginTrans();
            try
            {
                var result = work();
                if (mine) Commit();
                return result;
            }
            catch
            {
                if (mine) Rollback();
                throw;
            }
        }
        finally
        {
            _transactions.ExitReadLock();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> while no <see cref="InTransaction{T}"/> runs: a backup takes every collection's
    /// lock, and a transaction holding some while it waits for the others would wait on it in turn.
    /// </summary>
    public T Exclusively<T>(Func<T> work)
    {
        _transactions.EnterWriteLock();
        try { return work(); }
        finally { _transactions.ExitWriteLock(); }
    }

    private readonly ReaderWriterLockSlim _transactions = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>Opens (creating if needed) the file at <paramref name="path"/>, or an in-memory database for ":memory:".</summary>
    /// <param name="path">The file, or ":memory:".</param>
    /// <param name="log">Where the file's trouble is said (a checkpoint that fails).</param>
    public static LinliDatabase Open(string path, ILogger? log = null)
    {
        if (path == ":memory:")
            return new LinliDatabase(new ConnectionString { Filename = ":memory:" }, null, log);

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var fileLock = DatabaseLock.Acquire(full);
        try
        {
            return new LinliDatabase(
                new ConnectionString { Filename = full, Connection = ConnectionType.Direct }, fileLock, log);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The writes every turn makes (state, transcript lines, activity ids), committed together with whatever else is
    /// waiting (see <see cref="GroupCommit"/>).
    /// </summary>
    public GroupCommit Together => LazyInitializer.EnsureInitialized(ref _together,
        () => new GroupCommit(this, rolledBack: TranscriptHeads.Clear, log: _log));

    /// <summary>
    /// Each conversation's newest transcript document as the writer last read or wrote it (see
    /// <see cref="LiteTranscriptStore"/>): read and changed only on the writer, forgotten when a commit rolls back.
    /// </summary>
    internal Dictionary<string, BsonValue> TranscriptHeads { get; }

    private GroupCommit? _together;

    /// <summary>Each conversation's state as last read or saved (by "{channelId}|{conversationId}").</summary>
    public Remembered<ConversationStateRecord> KnownStates { get; }

    /// <summary>Each chat identity's binding as last read or saved, or that it has none.</summary>
    public Remembered<ResidentBinding> KnownBindings { get; }

    /// <summary>Each chat identity's handoff to staff as last read or saved, or that it has none.</summary>
    public Remembered<Linli.StaffConsole.HandoffRecord> KnownHandoffs { get; }

    protected override void Dispose(bool disposing)
    {
        // What is queued is committed before the file closes.
        if (disposing) _together?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
        if (!disposing) return;
        _lock?.Dispose();
        _transactions.Dispose();
    }

    private void EnsureIndexes()
    {
        Buildings.EnsureIndex(b => b.CommunityId);
        Units.EnsureIndex(u => u.CommunityId);
        Units.EnsureIndex(u => u.BuildingId);
        People.EnsureIndex(p => p.CommunityId);
        People.EnsureIndex(p => p.Phone);
        People.EnsureIndex("UnitIds", "$.Units[*].UnitId");
        People.EnsureIndex(p => p.WeComUserId);
        Bills.EnsureIndex(b => b.UnitId);
        Bills.EnsureIndex(Indexes.UnitPeriod, Indexes.UnitPeriodExpression);
        Bills.EnsureIndex(Indexes.CommunityPeriod, Indexes.CommunityPeriodExpression);
        Payments.EnsureIndex(p => p.UnitId);
        Payments.EnsureIndex(p => p.CommunityId);
        FeeTotals.EnsureIndex(t => t.CommunityId);
        FlatArrears.EnsureIndex(a => a.CommunityId);
        DirectLineActivities.EnsureIndex(a => a.ConversationId);
        DirectLineActivities.EnsureIndex(a => a.ClientKey);
        ConversationReferences.EnsureIndex(r => r.UserId);
        Outbox.EnsureIndex(o => o.NextAttemptAt);
        TextOutbox.EnsureIndex(t => t.Channel);
        Tickets.EnsureIndex(t => t.Number, unique: true);
        Tickets.EnsureIndex(t => t.SourceKey, unique: true);
        Units.EnsureIndex(u => u.Room);
        Tickets.EnsureIndex(t => t.CommunityId);
        Tickets.EnsureIndex(t => t.UpdatedAt);
        Accounts.EnsureIndex(a => a.PersonId);
        UsedLinks.EnsureIndex(u => u.ExpiresAt);
        Notices.EnsureIndex(n => n.CommunityId);
        AuditLog.EnsureIndex(e => e.CommunityId);
        ResidentBindings.EnsureIndex(b => b.UnitId);
        CodeRequests.EnsureIndex(r => r.At);
        CodeRequests.EnsureIndex(r => r.UnitId);
        CodeRequests.EnsureIndex(r => r.PhoneHash);
        CodeRequests.EnsureIndex(r => r.Requester);
        ResidentBindings.EnsureIndex(b => b.CommunityId);
        // Every message is a transcript line, and each index costs its insert as much again: the nightly retention
        // reads the lines through rather than keep an index on their time (files made before kept one).
        GetCollection(TranscriptsName).DropIndex("At");
        LiteTranscriptStore.ChainFilesMadeBefore(this);
        TeaThreads.EnsureIndex(t => t.CommunityId);
        TeaPosts.EnsureIndex(p => p.ThreadId);
        TeaPosts.EnsureIndex(p => p.CommunityId);
        TeaVotes.EnsureIndex(v => v.ThreadId);
        RevenueLines.EnsureIndex(l => l.CommunityId);
        FundEntries.EnsureIndex(e => e.CommunityId);
        FundApplications.EnsureIndex(a => a.CommunityId);
        RevenueCloses.EnsureIndex(c => c.CommunityId);
        RevenueSignOffs.EnsureIndex(s => s.CommunityId);
        RevenueObjections.EnsureIndex(o => o.CommunityId);
        RevenueAuditors.EnsureIndex(a => a.CommunityId);
        Projects.EnsureIndex(p => p.CommunityId);
        MediationCases.EnsureIndex(c => c.CommunityId);
        MediationCases.EnsureIndex("PartyIds", "$.Parties[*].PersonId");
        CreateEveryCollection();
    }

    /// <summary>
    /// Creates, at open, every collection not made yet. LiteDB 5 creates a collection on its first write, and a first
    /// write racing reads of the same collection lost documents (a fresh database's first counter, first processed
    /// activity). An index makes its collection, but several have none, and <c>EnsureIndex("_id")</c> may be skipped
    /// as already there: a placeholder document written and deleted in one transaction makes them. Collections used
    /// only as <c>BsonDocument</c>, with no typed property here, are listed by name.
    /// </summary>
    private void CreateEveryCollection()
    {
        var names = GetType().GetProperties()
            .Where(p => p.PropertyType.IsGenericType
                        && p.PropertyType.GetGenericTypeDefinition() == typeof(ILiteCollection<>))
            .Select(p => (string)p.PropertyType.GetProperty(nameof(ILiteCollection<BsonDocument>.Name))!
                .GetValue(p.GetValue(this))!)
            .Concat([TranscriptsName, LiteTranscriptStore.HeadsName]);
        var missing = names.Where(name => !CollectionExists(name)).ToList();
        if (missing.Count == 0) return;
        InTransaction(() =>
        {
            foreach (var name in missing)
            {
                var collection = GetCollection(name);
                var placeholder = new BsonValue("~");
                collection.Insert(new BsonDocument { ["_id"] = placeholder });
                collection.Delete(placeholder);
            }
            return missing.Count;
        });
    }

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper { EmptyStringToNull = false, TrimWhitespace = false };

        // Months and dates as sortable text: no time zones to go wrong (LiteDB reads DateTime back as local time).
        mapper.RegisterType(p => new BsonValue(p.ToString()), b => Period.Parse(b.AsString));
        mapper.RegisterType(d => new BsonValue(d.ToString("yyyy-MM-dd")), b => DateOnly.ParseExact(b.AsString, "yyyy-MM-dd"));
        // Instants as UTC DateTime (LiteDB keeps milliseconds only).
        mapper.RegisterType(t => new BsonValue(t.UtcDateTime), b => new DateTimeOffset(b.AsDateTime.ToUniversalTime(), TimeSpan.Zero));

        // Derived values are computed, never stored.
        mapper.Entity<Unit>().Ignore(u => u.Label);
        mapper.Entity<Building>().Ignore(b => b.Name);
        mapper.Entity<Bill>().Ignore(b => b.Outstanding).Ignore(b => b.IsSettled);
        mapper.Entity<Payment>().Ignore(p => p.Amount);
        mapper.Entity<PublicRevenue.LedgerLine>().Ignore(l => l.Signed);

        // Ids made by the application are text; code requests stored before were keyed by an ObjectId: read its text.
        mapper.ResolveMember = (type, member, mapped) =>
        {
            if (type == typeof(CodeRequest) && member.Name == nameof(CodeRequest.Id))
                mapped.Deserialize = (value, _) => value.IsObjectId ? value.AsObjectId.ToString() : value.AsString;
        };
        return mapper;
    }
}

/// <summary>Marks that the demo data was seeded, so it never runs twice.</summary>
public sealed record SeedRecord
{
    public required string Id { get; init; }
    public required int RandomSeed { get; init; }
    public required Period LastPeriod { get; init; }
    public required DateTimeOffset SeededAt { get; init; }
}
