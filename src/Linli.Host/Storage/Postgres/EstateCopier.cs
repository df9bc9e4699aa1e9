using System.Globalization;
using Dapper;
using LiteDB;
using Linli.Fees;
using Linli.Storage.LiteDb;
using Npgsql;

namespace Linli.Storage.Postgres;

/// <summary>
/// One copy of a LiteDB file into PostgreSQL (see <see cref="LiteToPostgres"/>): each collection into its table as the
/// PostgreSQL store writes it, by binary COPY, the rows counted and summed as they go.
/// </summary>
/// <remarks>
/// Not copied, as PostgreSQL has no table for them:
/// <list type="bullet">
/// <item><c>fee_totals</c>: PostgreSQL builds a community's running totals from the copied bills and payments (the
/// money store's own build), checked against the totals computed from the file's bills and payments.</item>
/// <item><c>flat_arrears</c>: a flat's unpaid bills are a partial index of the bills in PostgreSQL.</item>
/// <item><c>seeds</c>: the demo's marker; PostgreSQL seeds the demo only into a database without communities.</item>
/// <item><c>transcript_heads</c>: each conversation's newest transcript document, where reading its chain starts;
/// PostgreSQL reads a conversation's lines by an index.</item>
/// <item>Settings other than counters, signing keys and the round robin's old place (none are written today): each
/// is named in the report's notes.</item>
/// </list>
/// </remarks>
internal sealed class EstateCopier(LinliDatabase from, NpgsqlConnection c, NpgsqlTransaction t)
{
    /// <summary>The file's collections whose records no table receives (see the remarks).</summary>
    private static readonly HashSet<string> NotCopied =
        ["fee_totals", "flat_arrears", "seeds", LiteTranscriptStore.HeadsName];

    /// <summary>Signing keys kept in the settings (<see cref="SigningKeys"/>), by the names their users load.</summary>
    private static readonly HashSet<string> KeyNames =
        ["residentlinks.signingKey", "directline.signingKey", "chat.userKey"];

    private readonly List<TableCopy> _tables = [];
    private readonly List<string> _notes = [];
    private readonly HashSet<string> _billed = [];

    public IReadOnlyList<string> Communities { get; } =
        [.. from.Communities.FindAll().Select(x => x.Id).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> Notes => _notes;

    public void RefuseCommunitiesPresent(string database)
    {
        var present = c.Query<string>("SELECT id FROM communities WHERE id = ANY(@ids) ORDER BY id",
            new { ids = Communities.ToArray() }, t).AsList();
        if (present.Count > 0)
            throw new CopyRefused($"PostgreSQL database {database} already has community {string.Join(", ", present)}:"
                + " nothing was copied.");
    }

    public void CopyAll()
    {
        RefuseUnknownCollections();
        Write("communities", Read(from.Communities));
        Write("buildings", Read(from.Buildings));
        Write("units", Read(from.Units));
        Write("people", Read(from.People));
        Write("accounts", Read(from.Accounts));
        Write("audit_entries", Read(from.AuditLog));
        Write("notices", Read(from.Notices));
        CopyResidents();
        CopyChannels();
        CopyStaffConsole();
        CopyFiles();
        CopyTeaTable();
        CopyRevenueAndFund();
        CopyCases();
        CopyMoney();
        CopySettings();
    }

    /// <summary>Reads each table back in the copy's transaction and compares it with what was sent.</summary>
    public IReadOnlyList<TableCheck> Verify() =>
        [.. _tables.Select(copy => (copy, read: copy.ReadBack(c, t))).Select(x => new TableCheck(x.copy.Shape.Name,
            x.copy.Sent.Rows, x.copy.Sent.Value, x.read.Rows, x.read.Value))];

    /// <summary>
    /// Moves the sequences that number tea threads, posts and revenue objections past the highest id copied, so the
    /// next one made is new. (A sequence is not transactional: a copy that fails after this leaves a gap, no more.)
    /// </summary>
    public void MoveSequences()
    {
        foreach (var (sequence, table) in new[]
                 {
                     ("tea_thread_ids", "tea_threads"), ("tea_post_ids", "tea_posts"),
                     ("revenue_objection_ids", "revenue_objections"),
                 })
            c.Execute($"""
                SELECT setval('{sequence}', greatest(max(id), (SELECT last_value FROM {sequence})))
                FROM {table} HAVING max(id) IS NOT NULL
                """, transaction: t);
    }

    private void RefuseUnknownCollections()
    {
        // A collection added to LinliDatabase with no table here would be left behind: refused instead.
        var unknown = from.GetCollectionNames()
            .Where(name => !_known.Contains(name) && !NotCopied.Contains(name) && from.GetCollection(name).Count() > 0)
            .Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new CopyRefused($"The file has records in {string.Join(", ", unknown)}, which the copy does not " +
                "know a PostgreSQL table for: nothing was copied.");
    }

    private readonly HashSet<string> _known =
    [
        "communities", "buildings", "units", "people", "accounts", "audit_log", "notices", "resident_bindings",
        "binding_codes", "code_requests", "used_links", "conversation_states", "conversation_references",
        "processed_activities", "text_outbox", "connector_outbox", "wechat_choices", "directline_conversations",
        "directline_activities", "handoffs", "transcripts", "canned_replies", "duty_rosters", "_files", "_chunks",
        "tea_threads", "tea_posts", "tea_votes", "tea_digests", "tea_mutes", "revenue_lines", "revenue_closes",
        "revenue_signoffs", "revenue_objections", "revenue_auditors", "fund_entries", "fund_applications", "tickets",
        "projects", "mediation_cases", "bills", "payments", "settings",
    ];

    private static IEnumerable<T> Read<T>(ILiteCollection<T> collection) => collection.FindAll();

    private void CopyResidents()
    {
        Write("resident_bindings", Read(from.ResidentBindings));
        Write("binding_codes", Read(from.BindingCodes));
        Write("code_requests", Read(from.CodeRequests));
        Write("used_links", Read(from.UsedLinks), columns: new() { ["nonce"] = u => u.Id });
    }

    private void CopyChannels()
    {
        Write("conversation_states", Read(from.ConversationStates), columns: new()
        {
            ["channel_id"] = s => s.Id[..s.Id.IndexOf('|')],
            ["conversation_id"] = s => s.Id[(s.Id.IndexOf('|') + 1)..],
            ["state"] = s => s.Json,
        });
        Write("conversation_references", Read(from.ConversationReferences),
            columns: new() { ["reference"] = r => r.Json });
        Write("processed_activities", Read(from.ProcessedActivities), columns: new() { ["key"] = a => a.Id });
        Write("text_outbox", Read(from.TextOutbox), columns: new() { ["recipient"] = x => x.To });
        Write("connector_outbox", Read(from.Outbox));
        // As PgWeChatChoicesStore writes them: System.Text.Json's defaults.
        Write("wechat_choices", Read(from.WeChatChoices), columns: new()
        {
            ["open_id"] = w => w.Id, ["choices"] = w => System.Text.Json.JsonSerializer.Serialize(w.Choices),
        });
        Write("directline_conversations", Read(from.DirectLineConversations));
        Write("directline_activities", Read(from.DirectLineActivities));
    }

    private void CopyStaffConsole()
    {
        Write("handoffs", Read(from.Handoffs));
        // In the order they were appended (their ObjectIds): PostgreSQL numbers them in the order they arrive.
        Write("transcript_lines", LiteTranscriptStore.AllLines(from));
        Write("canned_replies", Read(from.CannedReplies), columns: new() { ["community_id"] = r => r.Id });
        // The round robin's place kept in the settings before it moved into the roster, as LiteTicketStore reads it.
        var store = new LiteTicketStore(from);
        var rosters = Read(from.DutyRosters).Select(r => r.Id)
            .Concat(from.Settings.Find(s => s.Id.StartsWith("roundrobin.")).Select(s => s.Id["roundrobin.".Length..]))
            .Distinct().Select(store.FindRoster).OfType<Tickets.DutyRoster>().ToList();
        Write("duty_rosters", rosters, columns: new() { ["community_id"] = r => r.Id });
    }

    private void CopyFiles()
    {
        // Described and read as LiteFileStore serves them; written as PgFileStore keeps them.
        var files = new LiteFileStore(from);
        Write("files", from.FileStorage.FindAll().Select(f => f.Id).ToList()
            .Select(id => (File: files.Find(id)!, Bytes: files.Read(id)!)), x => x.File, new()
            {
                ["folder"] = x => PgFileStore.Folder(x.File.Id),
                ["length"] = x => (long)x.Bytes.Length,
                ["content"] = x => x.Bytes,
            });
    }

    private void CopyTeaTable()
    {
        var threads = Read(from.TeaThreads).ToList();
        var communityOf = threads.ToDictionary(x => x.Id, x => x.CommunityId);
        Write("tea_threads", threads, columns: new()
        {
            ["vote_deadline"] = x => PgTeaThreadStore.Deadlines(x).Vote,
            ["reminder_deadline"] = x => PgTeaThreadStore.Deadlines(x).Reminder,
        });
        // Posts, votes and marks of a thread the file no longer has: LiteDB's stores never show them.
        Write("tea_posts", Orphans("tea_posts", Read(from.TeaPosts), p => communityOf.ContainsKey(p.ThreadId)
            && communityOf[p.ThreadId] == p.CommunityId));
        Write("tea_votes", Orphans("tea_votes", Read(from.TeaVotes), v => communityOf.ContainsKey(v.ThreadId)),
            columns: new() { ["community_id"] = v => communityOf[v.ThreadId] });
        Write("tea_digests", Orphans("tea_digests", Read(from.TeaDigests).Select(m => (Mark: m,
                Thread: int.Parse(m.Id[..m.Id.IndexOf('|')], CultureInfo.InvariantCulture),
                Person: m.Id[(m.Id.IndexOf('|') + 1)..])), m => communityOf.ContainsKey(m.Thread)), m => m.Mark,
            new()
            {
                ["community_id"] = m => communityOf[m.Thread], ["thread_id"] = m => m.Thread,
                ["person_id"] = m => m.Person,
            });
        Write("tea_mutes", Read(from.TeaMutes), columns: new()
        {
            ["community_id"] = m => m.Id[..m.Id.IndexOf('|')],
            ["person_id"] = m => m.Id[(m.Id.IndexOf('|') + 1)..],
            ["muted_by"] = m => m.By,
        });
    }

    private IEnumerable<T> Orphans<T>(string table, IEnumerable<T> rows, Func<T, bool> kept)
    {
        var skipped = 0;
        foreach (var row in rows)
            if (kept(row)) yield return row;
            else skipped++;
        if (skipped > 0) _notes.Add($"{table}: {skipped} of a thread the file does not have were left out.");
    }

    private void CopyRevenueAndFund()
    {
        Write("revenue_lines", Read(from.RevenueLines));
        Write("revenue_closes", Read(from.RevenueCloses));
        Write("revenue_sign_offs", Read(from.RevenueSignOffs));
        Write("revenue_objections", Read(from.RevenueObjections));
        Write("revenue_auditors", Read(from.RevenueAuditors));
        Write("fund_entries", Read(from.FundEntries));
        Write("fund_applications", Read(from.FundApplications));
    }

    private void CopyCases()
    {
        Write("tickets", Read(from.Tickets), PgTicketStore.Row);
        Write("projects", Read(from.Projects), PgProjectStore.Row);
        Write("mediation_cases", Read(from.MediationCases), PgMediationStore.Row);
    }

    /// <summary>
    /// Bills and payments through the money store's own bulk load, which also claims each payment's id and builds
    /// the running totals; the totals are checked against those the file's bills and payments add up to.
    /// </summary>
    private void CopyMoney()
    {
        var bills = Read(from.Bills).ToList();
        var payments = Read(from.Payments).ToList();
        PgFeeStore.Load(c, t, bills, payments);
        _billed.UnionWith(bills.Select(b => b.CommunityId).Concat(payments.Select(p => p.CommunityId)));
        Expect("bills", bills);
        Expect("payments", payments);
        Expect("payment_ids", payments.DistinctBy(p => p.Id));
        var buildings = from.Units.FindAll().ToDictionary(u => u.Id, u => u.BuildingId);
        foreach (var bill in bills) buildings.TryAdd(bill.UnitId, bill.BuildingId);
        var totals = bills.Select(b => b.CommunityId).Concat(payments.Select(p => p.CommunityId)).Distinct()
            .SelectMany(community => FeeTotalsBook.Build(community, bills.Where(b => b.CommunityId == community),
                payments.Where(p => p.CommunityId == community), unit => buildings[unit]).Totals);
        Expect("fee_totals", totals);
    }

    /// <summary>
    /// The settings: counters into <c>counters</c> (receipts, ledger lines, fund entries and applications, the fee
    /// totals' version, mediation cases; ticket series moved past the file's numbers), signing keys into
    /// <c>signing_keys</c>.
    /// </summary>
    private void CopySettings()
    {
        var counters = new Dictionary<(string Community, string Name), int>();
        var keys = new List<(string Name, byte[] Key)>();
        // The fee totals' version moves past the file's, so nothing read before the move passes for current.
        foreach (var community in _billed) counters[(community, PgFeeStore.VersionCounter)] = 1;
        foreach (var setting in Read(from.Settings))
        {
            int Value() => int.Parse(setting.Value, CultureInfo.InvariantCulture);
            switch (setting.Id.Split('|'))
            {
                case ["receipt", var community, var day]:
                    counters[(community, $"receipt|{day}")] = Value();
                    break;
                case ["fee-totals", var community]:
                    counters[(community, PgFeeStore.VersionCounter)] = Value() + 1;
                    break;
                case [var name and ("revenue" or "fund"), var community]:
                    counters[(community, name)] = Value();
                    break;
                case ["fund-application", var community, var year]:
                    counters[(community, $"fund-application|{year}")] = Value();
                    break;
                case ["mediation", var community, var year]:
                    counters[(community, PgCounters.Series("mediation_cases", $"TJ-{year}-"))] = Value();
                    break;
                case [var name] when KeyNames.Contains(name):
                    keys.Add((name, Convert.FromBase64String(setting.Value)));
                    break;
                case [var name] when name.StartsWith("roundrobin.", StringComparison.Ordinal):
                    break;
                default:
                    _notes.Add($"Setting {setting.Id} was left out: no PostgreSQL store reads it.");
                    break;
            }
        }
        // A case number the file holds beyond its counter (there should be none) still comes before the next.
        foreach (var (community, number) in from.MediationCases.FindAll().Select(m => (m.CommunityId, m.Number)))
        {
            var prefix = PgCounters.PrefixOf(number);
            if (int.TryParse(number.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                counters[(community, PgCounters.Series("mediation_cases", prefix))] = Math.Max(n,
                    counters.GetValueOrDefault((community, PgCounters.Series("mediation_cases", prefix))));
        }
        WriteCounters(counters);
        MoveTicketSeries();
        WriteKeys(keys);
    }

    private void WriteCounters(Dictionary<(string Community, string Name), int> counters)
    {
        var rows = counters.Select(x => new { CommunityId = x.Key.Community, x.Key.Name, Last = x.Value }).ToList();
        // The bulk load made each community's fee totals version (1): replaced by the file's, moved on.
        c.Execute("""
            INSERT INTO counters (community_id, name, last) SELECT * FROM unnest(@communities, @names, @lasts)
            ON CONFLICT (community_id, name) DO UPDATE SET last = excluded.last
            """, new
        {
            communities = rows.Select(r => r.CommunityId).ToArray(), names = rows.Select(r => r.Name).ToArray(),
            lasts = rows.Select(r => r.Last).ToArray(),
        }, t);
        Expect("counters", rows);
    }

    /// <summary>
    /// Ticket numbers count across every community: each series moves past the highest number copied (a project's
    /// series and a new ticket series start from the highest number in their table by themselves).
    /// </summary>
    private void MoveTicketSeries()
    {
        var tickets = from.Tickets.FindAll().Select(x => x.Number)
            .GroupBy(PgCounters.PrefixOf)
            .Select(g => (Name: PgCounters.Series("tickets", g.Key), Last: g.Max(n => int.TryParse(
                n.AsSpan(g.Key.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0)))
            .ToList();
        c.Execute("""
            INSERT INTO counters AS n (community_id, name, last) SELECT '', * FROM unnest(@names, @lasts)
            ON CONFLICT (community_id, name) DO UPDATE SET last = greatest(n.last, excluded.last)
            """, new { names = tickets.Select(x => x.Name).ToArray(), lasts = tickets.Select(x => x.Last).ToArray() },
            t);
        if (tickets.Count > 0)
            _notes.Add($"counters: {tickets.Count} ticket series shared by every community moved past the " +
                "file's highest numbers (not in the checks: other communities number in them too).");
    }

    private void WriteKeys(List<(string Name, byte[] Key)> keys)
    {
        // A key is the whole database's: one another instance made already stays, and what the file's signed
        // (residents' chat keys and sign-in links) is signed again.
        var present = c.Query<string>("SELECT name FROM signing_keys WHERE name = ANY(@names)",
            new { names = keys.Select(k => k.Name).ToArray() }, t).ToHashSet();
        foreach (var name in present.Order(StringComparer.Ordinal))
            _notes.Add($"signing_keys: PostgreSQL's {name} was kept; what the file signed with its own is void.");
        Write("signing_keys", keys.Where(k => !present.Contains(k.Name)), columns: new()
        {
            ["name"] = k => k.Name, ["key"] = k => k.Key,
        });
    }

    /// <summary>Writes <paramref name="rows"/> into <paramref name="table"/> by binary COPY, counted and summed.
    /// </summary>
    /// <param name="shape">What the columns are read from (a store's parameters); the row itself by default.</param>
    /// <param name="columns">Columns whose value is not the property of their name.</param>
    private void Write<T>(string table, IEnumerable<T> rows, Func<T, object>? shape = null,
        Dictionary<string, Func<T, object?>>? columns = null)
    {
        var copy = new TableCopy(TableShape.Of(c, t, table));
        var names = string.Join(", ", copy.Shape.Columns.Select(x => $"\"{x.Name}\""));
        var types = copy.Shape.Columns.Select(x => ColumnValues.DbType(x.Type)).ToArray();
        using (var writer = c.BeginBinaryImport($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                var values = Values(copy.Shape, row, shape, columns);
                writer.StartRow();
                for (var i = 0; i < values.Length; i++)
                    if (values[i] is null) writer.WriteNull();
                    else writer.Write(values[i], types[i]);
                copy.Add(values);
            }
            writer.Complete();
        }
        _tables.Add(copy);
    }

    /// <summary>
    /// Counts and sums <paramref name="rows"/> as <see cref="Write"/> would, for a table written otherwise.
    /// </summary>
    private void Expect<T>(string table, IEnumerable<T> rows, Func<T, object>? shape = null,
        Dictionary<string, Func<T, object?>>? columns = null)
    {
        var copy = new TableCopy(TableShape.Of(c, t, table));
        foreach (var row in rows) copy.Add(Values(copy.Shape, row, shape, columns));
        _tables.Add(copy);
    }

    private static object?[] Values<T>(TableShape table, T row, Func<T, object>? shape,
        Dictionary<string, Func<T, object?>>? columns)
    {
        var shaped = shape is null ? row! : shape(row);
        var values = new object?[table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var (name, type) = table.Columns[i];
            var value = columns is not null && columns.TryGetValue(name, out var of)
                ? of(row)
                : ColumnValues.Of(shaped, name);
            values[i] = ColumnValues.Convert(value, type, $"{table.Name}.{name}");
        }
        return values;
    }
}
