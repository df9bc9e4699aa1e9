using Dapper;
using Linli.Accounts;
using Linli.Calendar;
using Linli.Fees;
using Linli.MaintenanceFund;
using Linli.People;
using Linli.PublicRevenue;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.TeaTable;
using Linli.Tests.Support;
using Linli.Tickets;

namespace Linli.Tests.Storage;

/// <summary>
/// The demo estate moved from its LiteDB file into PostgreSQL: every table counted and summed both ways, what the
/// PostgreSQL stores read the same as the LiteDB stores read, numbering going on from where the file left it, and a
/// second copy refused.
/// </summary>
public sealed class LiteToPostgresTests : IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();
    private readonly TempDirectory _dir = new();
    private LinliDatabase? _lite;

    private LinliDatabase Lite
    {
        get
        {
            if (_lite is not null) return _lite;
            SeededTemplate.CopyTo(_dir.File("linli.db"));
            return _lite = LinliDatabase.Open(_dir.File("linli.db"));
        }
    }

    public void Dispose()
    {
        _lite?.Dispose();
        _postgres.Dispose();
        _dir.Dispose();
    }

    private CopyReport Copied()
    {
        var db = _postgres.Db;
        var report = LiteToPostgres.Copy(Lite, db);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{report.Rows} rows in {report.Tables.Count} tables in {report.Elapsed.TotalSeconds:0.00} s");
        foreach (var table in report.Tables)
            TestContext.Current.TestOutputHelper?.WriteLine($"{table.Table,-26} {table.Rows,7} {table.Checksum[..16]}");
        foreach (var note in report.Notes) TestContext.Current.TestOutputHelper?.WriteLine(note);
        return report;
    }

    private static readonly DateTimeOffset At = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
    private const string Community = Linli.Seeding.DemoCommunity.Id;

    /// <summary>
    /// One record of each kind the demo leaves out (chats, channels, files, the staff console's, marks and mutes), put
    /// in through the LiteDB stores, so every table has something to copy.
    /// </summary>
    private void AddWhatTheDemoLacks()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At);
        var db = Lite;
        var unit = db.Units.FindAll().First();
        var person = db.People.FindAll().First(p => p.Units.Count > 0);
        new LiteAuditLog(db).Append(new AuditEntry
        {
            Id = AuditTrail.NewId(), At = At, CommunityId = Community, PersonId = person.Id, Name = person.Name,
            Action = "test", Target = "copy", Detail = "一条",
        });
        new LiteResidentBindingStore(db).Save(new Linli.Residents.ResidentBinding
        {
            Id = "directline|dl_0123456789abcdef", CommunityId = Community, UnitId = unit.Id, PersonId = person.Id,
            BoundAt = At, LastArrearsReminderAt = At.AddDays(1),
        });
        var codes = new LiteBindingCodeStore(db);
        codes.SaveCode(new Linli.Residents.BindingCode
        {
            Id = "wechat|o-1", CommunityId = Community, UnitId = unit.Id, PersonId = person.Id, CodeHash = "h",
            ExpiresAt = At.AddMinutes(5), Attempts = 1,
        });
        codes.AddRequest(new Linli.Residents.CodeRequest
        { UnitId = unit.Id, PhoneHash = "ph", Requester = "1.2.3.4", At = At });
        new LiteResidentLinkStore(db).TryUse("nonce-1", At.AddDays(1), At);
        new LiteSigningKeys(db).Load("chat.userKey");
        var state = new System.Text.Json.Nodes.JsonObject { ["step"] = "fee", ["n"] = 1.50m };
        new LiteConversationStateStore(db, time).SaveAsync("directline", "c-1", state, default).Wait();
        new LiteConversationReferenceStore(db, time).SaveAsync(new Linli.Bot.Schema.ConversationReference
        {
            ChannelId = "msteams", User = new("u-1", "用户"), Conversation = new("c-2"), ServiceUrl = "https://x/",
        }, default).Wait();
        new LiteProcessedActivities(db).FirstTimeAsync("msteams|a-1", At).GetAwaiter().GetResult();
        new LiteTextOutboxStore(db).Add([new Linli.Channels.OutboxText
        {
            Id = "0001", Channel = "wechat", To = "o-1", Text = "您好", QueuedAt = At, NextAttemptAt = At,
        }]);
        new LiteConnectorOutboxStore(db).Add(new Linli.Channels.BotFramework.OutboxItem
        {
            Id = "o-1", ServiceUrl = "https://x/", ConversationId = "c-2", Json = "{}", NextAttemptAt = At,
        });
        new LiteWeChatChoicesStore(db).Save(new Linli.Channels.WeChat.WeChatChoices("o-1",
            [new("交物业费", "fee"), new("报修", "repair")], At));
        var directLine = new LiteDirectLineStore(db, time);
        var conversation = directLine.Create("dl_0123456789abcdef", "zh-CN");
        directLine.Append(conversation.Id, new Linli.Bot.Schema.Activity
        {
            Type = "message", Text = "你好", From = new("dl_0123456789abcdef", role: "user"),
            ChannelData = System.Text.Json.JsonDocument.Parse("""{"clientActivityID":"k1"}""").RootElement,
        });
        directLine.Append(conversation.Id, new Linli.Bot.Schema.Activity { Type = "message", Text = "您好！" });
        new LiteHandoffStore(db).Save(new Linli.StaffConsole.HandoffRecord
        {
            Id = "directline|dl_0123456789abcdef", TicketNumber = "BX-1", StaffPersonId = person.Id,
            StaffName = "王", Since = At,
        });
        var transcripts = new LiteTranscriptStore(db);
        foreach (var (role, text) in new[] { ("user", "水管漏了"), ("bot", "好的"), ("staff", "马上到") })
            transcripts.AppendAsync([new Linli.StaffConsole.TranscriptEntry
            {
                Conversation = $"directline|{conversation.Id}", At = At, Role = role, Text = text,
                Buttons = role == "bot" ? ["是", "否"] : [],
            }]).GetAwaiter().GetResult();
        new LiteCannedReplyStore(db).Save(new Linli.StaffConsole.CannedReplies
        { Id = Community, Items = ["您好", "稍等"], UpdatedAt = At, UpdatedBy = person.Id });
        var tickets = new LiteTicketStore(db);
        tickets.SaveRoster(Community, [person.Id]);
        db.Settings.Upsert(new SettingRecord("roundrobin.other", person.Id));
        new LiteFileStore(db).Save(new Linli.Uploads.UploadedFile
        {
            Id = "tea/photo-1", FileName = "a.jpg", ContentType = "image/jpeg", CommunityId = Community,
            OwnerId = person.Id, UploadedAt = At,
        }, new MemoryStream([1, 2, 3, 0, 255]));
        new LiteFileStore(db).Save(new Linli.Uploads.UploadedFile
        {
            Id = "chat-1", FileName = "b.png", ContentType = "image/png", CommunityId = "", OwnerId = "u",
            ConversationId = conversation.Id, UploadedAt = At,
        }, new MemoryStream([9]));
        var thread = db.TeaThreads.FindAll().First();
        new LiteTeaDigestStore(db).Save(Community, thread.Id, person.Id,
            new DigestMark { Id = "", LastPostId = 1, SentAt = At });
        new LiteTeaMuteStore(db).Save(Community, person.Id,
            new Mute { Id = "", Until = At.AddDays(1), Reason = "刷屏", By = "p-admin" });
        new LiteRevenueStore(db).SaveAuditor(new Auditor
        {
            Id = Auditor.KeyFor(Community, person.Id), CommunityId = Community, PersonId = person.Id,
            Name = person.Name, AppointedBy = "p-admin", At = At,
        });
    }

    [Fact]
    public void EveryTableMatchesWhatWasSent()
    {
        AddWhatTheDemoLacks();
        var report = Copied();

        Assert.All(report.Tables, t => Assert.True(t.Matches, $"{t.Table}: {t.Rows} sent, {t.ReadRows} read"));
        Assert.Equal([Community], report.Communities);
        // Every table of the schema received rows (signing keys, fee totals and counters included), but the
        // deployment's own: its migrations, and the keys of its cookies (an estate brings none).
        var tables = _postgres.Db.Run(c => c.Query<string>("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_name NOT IN ('schema_migrations', 'data_protection_keys')
            """).ToList());
        Assert.Empty(tables.Except(report.Tables.Where(t => t.Rows > 0).Select(t => t.Table)));
        var counts = _postgres.Db.Run(c => c.QuerySingle<(long Bills, long Posts)>(
            "SELECT (SELECT count(*) FROM bills), (SELECT count(*) FROM tea_posts)"));
        Assert.Equal((Lite.Bills.Count(), Lite.TeaPosts.Count()), ((int)counts.Bills, (int)counts.Posts));
    }

    [Fact]
    public async Task ThePostgresStoresReadWhatTheLiteStoresRead()
    {
        AddWhatTheDemoLacks();
        Copied();
        var (lite, pg) = (Lite, _postgres.Db);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(At);

        // Money: a flat's bills and arrears, its payments, the community's totals.
        var fees = (Lite: new LiteFeeStore(lite), Pg: new PgFeeStore(pg));
        var owing = lite.Bills.FindAll().Where(b => b.AmountPaid < b.AmountDue).Select(b => b.UnitId).Distinct()
            .Take(5).Append(lite.Bills.FindAll().First(b => b.AmountPaid > 0).UnitId);
        foreach (var unit in owing)
        {
            Same(fees.Lite.BillsFor(Community, unit), fees.Pg.BillsFor(Community, unit));
            Same(fees.Lite.UnpaidBillsFor(Community, unit), fees.Pg.UnpaidBillsFor(Community, unit));
            Same(new LitePaymentStore(lite).LatestFor(Community, unit, 50),
                new PgPaymentStore(pg).LatestFor(Community, unit, 50));
        }
        Same(fees.Lite.Totals(Community).OrderBy(x => x.Id), fees.Pg.Totals(Community).OrderBy(x => x.Id));
        Assert.True(fees.Pg.TotalsVersion(Community) > fees.Lite.TotalsVersion(Community));

        // Tickets, the tea table, the ledger, the fund, people, accounts, the audit log.
        var all = new TicketQuery();
        Same(new LiteTicketStore(lite).Queue(Community, all, 0, 500).OrderBy(x => x.Number),
            new PgTicketStore(pg).Queue(Community, all, 0, 500).OrderBy(x => x.Number));
        var (liteTea, pgThreads, pgPosts) = (new LiteTeaThreadStore(lite), new PgTeaThreadStore(pg),
            new PgTeaPostStore(pg));
        var threads = liteTea.List(Community, null, 0, 100);
        Same(threads, pgThreads.List(Community, null, 0, 100));
        foreach (var thread in threads)
            Same(liteTea.After(Community, thread.Id, 0, 1000), pgPosts.After(Community, thread.Id, 0, 1000));
        Same(new LiteTeaVoteStore(lite).For(Community, threads[0].Id), new PgTeaVoteStore(pg).For(Community,
            threads[0].Id));
        var (liteRevenue, pgRevenue) = (new LiteRevenueStore(lite), new PgRevenueStore(pg));
        var (first, last) = (new Period(2000, 1), new Period(2100, 1));
        Same(liteRevenue.Lines(Community, first, last), pgRevenue.Lines(Community, first, last));
        Assert.Equal(liteRevenue.LastNumber(Community), pgRevenue.LastNumber(Community));
        Same(liteRevenue.LatestClose(Community), pgRevenue.LatestClose(Community));
        Same(liteRevenue.Auditors(Community), pgRevenue.Auditors(Community));
        var (liteFund, pgFund) = (new LiteFundStore(lite), new PgFundStore(pg));
        Same(liteFund.Entries(Community), pgFund.Entries(Community));
        Assert.Equal(liteFund.LastNumber(Community), pgFund.LastNumber(Community));
        Same(liteFund.Applications(Community), pgFund.Applications(Community));
        Same(new LitePeopleStore(lite).InCommunity(Community), new PgPeopleStore(pg).InCommunity(Community));
        Same(new LiteAccountStore(lite).InCommunity(Community), new PgAccountStore(pg).InCommunity(Community));
        Same(new LiteAuditLog(lite).Latest(Community, 0, 100), new PgAuditLog(pg).Latest(Community, 0, 100));
        Same(new LiteProjectStore(lite).List(Community), new PgProjectStore(pg).List(Community));
        Same(new LiteMediationStore(lite).List(Community), new PgMediationStore(pg).List(Community));
        Same(new LiteCommunityStore(lite).Units(Community), new PgCommunityStore(pg).Units(Community));

        // What the demo lacks, as added above.
        var conversation = lite.DirectLineConversations.FindAll().Single();
        Same(new LiteDirectLineStore(lite, time).After(conversation.Id, 0),
            new PgDirectLineStore(pg, time).After(conversation.Id, 0));
        Same(new LiteDirectLineStore(lite, time).Find(conversation.Id),
            new PgDirectLineStore(pg, time).Find(conversation.Id));
        var transcript = $"directline|{conversation.Id}";
        Same(new LiteTranscriptStore(lite).Read(transcript), new PgTranscriptStore(pg).Read(transcript));
        Assert.Equal(new LiteFileStore(lite).Read("tea/photo-1"), new PgFileStore(pg).Read("tea/photo-1"));
        Same(new LiteFileStore(lite).Find("chat-1"), new PgFileStore(pg).Find("chat-1"));
        Assert.Equal(new PgFileStore(pg).OfConversation(conversation.Id), ["chat-1"]);
        Same(new LiteTicketStore(lite).FindRoster("other"), new PgTicketStore(pg).FindRoster("other"));
        Same(new LiteTicketStore(lite).FindRoster(Community), new PgTicketStore(pg).FindRoster(Community));
        Same(new LiteCannedReplyStore(lite).Find(Community), new PgCannedReplyStore(pg).Find(Community));
        Same(new LiteTeaDigestStore(lite).Marks(Community, threads[^1].Id),
            new PgTeaDigestStore(pg).Marks(Community, threads[^1].Id));
        var muted = lite.TeaMutes.FindAll().Single().Id.Split('|')[1];
        Same(new LiteTeaMuteStore(lite).Find(Community, muted), new PgTeaMuteStore(pg).Find(Community, muted));
        Same(new LiteWeChatChoicesStore(lite).Find("o-1"), new PgWeChatChoicesStore(pg).Find("o-1"));
        Same(new LiteTextOutboxStore(lite).Queued("wechat"), new PgTextOutboxStore(pg).Queued("wechat"));
        Same(new LiteConnectorOutboxStore(lite).Queued(), new PgConnectorOutboxStore(pg).Queued());
        Same(new LiteResidentBindingStore(lite).InCommunity(Community),
            new PgResidentBindingStore(pg).InCommunity(Community));
        Same(new LiteBindingCodeStore(lite).FindCode("wechat", "o-1"), new PgBindingCodeStore(pg).FindCode("wechat",
            "o-1"));
        Assert.True(new PgResidentLinkStore(pg).IsUsed("nonce-1"));
        Assert.Equal(new LiteSigningKeys(lite).Load("chat.userKey"), new PgSigningKeys(pg).Load("chat.userKey"));
        var cancel = TestContext.Current.CancellationToken;
        Assert.Equal(
            (await new LiteConversationStateStore(lite, time).LoadAsync("directline", "c-1", cancel))!.ToJsonString(),
            (await new PgConversationStateStore(pg, time).LoadAsync("directline", "c-1", cancel))!.ToJsonString());
        Same(await new LiteConversationReferenceStore(lite, time).FindAsync("msteams", "u-1", cancel),
            await new PgConversationReferenceStore(pg, time).FindAsync("msteams", "u-1", cancel));
        Assert.False(await new PgProcessedActivities(pg).FirstTimeAsync("msteams|a-1", At));
    }

    [Fact]
    public void NumberingGoesOnFromWhereTheFileLeftIt()
    {
        var lite = Lite;
        var liteTickets = lite.Tickets.FindAll().ToList();
        var liteRevenue = new LiteRevenueStore(lite).LastNumber(Community);
        var liteFund = new LiteFundStore(lite).LastNumber(Community);
        var payment = lite.Payments.FindAll().MaxBy(p => p.ReceiptNumber)!;
        var day = Receipts.Day(payment.PaidAt);
        var receipts = lite.Payments.FindAll().Count(p => Receipts.Day(p.PaidAt) == day);
        var cases = lite.MediationCases.FindAll().ToList();
        var (threads, posts, objections) = (lite.TeaThreads.Max(x => x.Id), lite.TeaPosts.Max(x => x.Id),
            lite.RevenueObjections.Max(x => x.Id));
        Copied();
        var pg = _postgres.Db;

        // A ticket in the series of the file's latest: the next number, not one the file has.
        var latest = liteTickets.MaxBy(x => x.Number)!;
        var prefix = latest.Number.TrimEnd("0123456789".ToCharArray());
        var opened = new PgTicketStore(pg).Open(Linli.Tests.Storage.Contracts.TicketDrafts.Draft(Community), prefix);
        Assert.True(opened.Opened);
        Assert.Equal($"{prefix}{int.Parse(latest.Number[prefix.Length..]) + 1:D4}", opened.Ticket.Number);
        Assert.DoesNotContain(opened.Ticket.Number, liteTickets.Select(x => x.Number));

        // A payment received the same day as the file's latest: the next receipt of that day.
        var bill = lite.Bills.FindAll().First(b => b.AmountPaid < b.AmountDue);
        var recorded = new PgPaymentStore(pg).Record(new Payment
        {
            Id = "test:after-copy", CommunityId = Community, UnitId = bill.UnitId, PaidAt = payment.PaidAt,
            Method = PaymentMethod.Cash, Lines = [new PaymentLine(bill.Id, bill.AmountDue - bill.AmountPaid)],
        }, bill.BuildingId);
        Assert.Equal(RecordOutcome.Recorded, recorded.Outcome);
        Assert.Equal(Receipts.Number(day, receipts + 1), recorded.Payment!.ReceiptNumber);

        // The ledger and the fund.
        var month = new Period(2100, 1);
        var line = new PgRevenueStore(pg).TryAppend(new LedgerLine
        {
            Id = "", CommunityId = Community, Number = 0, Kind = LineKind.Income, Source = RevenueSource.Parking,
            Counterparty = "车场", Period = month, Amount = 100m, RecordedAt = At, RecordedBy = "p",
        });
        Assert.Equal(liteRevenue + 1, line!.Number);
        var entry = new PgFundStore(pg).Append(new FundEntry
        {
            Id = "", CommunityId = Community, Number = 0, Kind = FundEntryKind.Interest, Amount = 1m,
            Date = new DateOnly(2026, 11, 2), RecordedBy = "p", RecordedAt = At,
        });
        Assert.Equal(liteFund + 1, entry.Number);

        // A mediation case of the year of the file's latest, a thread, a post, an objection.
        var lastCase = cases.MaxBy(x => x.Number)!;
        var opening = new PgMediationStore(pg).Open(lastCase with { Id = "", Number = "", TicketNumber = null },
            new AuditEntry
            {
                Id = AuditTrail.NewId(), At = At, CommunityId = Community, PersonId = "p", Name = "p",
                Action = "open", Target = "",
            });
        var year = Linli.Mediation.MediationCase.YearOf(lastCase.OpenedAt);
        Assert.Equal(Linli.Mediation.MediationCase.NumberFor(year,
            cases.Count(x => Linli.Mediation.MediationCase.YearOf(x.OpenedAt) == year) + 1), opening!.Number);
        var (thread, post) = new PgTeaThreadStore(pg).Create(
            Linli.Tests.Storage.Contracts.TeaRecords.Thread(Community),
            Linli.Tests.Storage.Contracts.TeaRecords.Post(new TeaThread
            {
                CommunityId = Community, Title = "", AuthorId = "", AuthorName = "", CreatedAt = At,
            }));
        Assert.True(thread.Id > threads);
        Assert.True(post.Id > posts);
        var objection = new PgRevenueStore(pg).AddObjection(new Objection
        {
            CommunityId = Community, Period = month, LineNumber = 1, PersonId = "p", Name = "p", Text = "?", At = At,
        });
        Assert.True(objection.Id > objections);
    }

    [Fact]
    public void ASecondCopyIsRefusedAndWritesNothing()
    {
        Copied();
        var before = Snapshot();

        var refused = Assert.Throws<CopyRefused>(() => LiteToPostgres.Copy(Lite, _postgres.Db));

        Assert.Contains(Community, refused.Message);
        Assert.Contains("nothing was copied", refused.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void ARowThatWouldTakeAnothersKeyRefusesTheWholeCopy()
    {
        // An account name is the whole instance's: another estate's "admin" stops this one's copy.
        var account = Lite.Accounts.FindAll().First();
        _postgres.Db.Run(c => c.Execute("""
            INSERT INTO accounts (id, community_id, person_id, roles, password_hash, failed_attempts, disabled,
                must_change_password, stamp)
            VALUES (@Id, 'elsewhere', 'p', '[]', 'x', 0, false, false, '')
            """, account));
        var before = Snapshot();

        var refused = Assert.Throws<CopyRefused>(() => LiteToPostgres.Copy(Lite, _postgres.Db));

        Assert.Contains("accounts", refused.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void ATableThatDoesNotReadBackAsSentRefusesTheWholeCopy()
    {
        // Something between the copy and the table (here a trigger) changes what lands: the checksum sees it.
        _postgres.Db.Run(c => c.Execute("""
            CREATE FUNCTION louder() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.title := NEW.title || '!'; RETURN NEW; END $$;
            CREATE TRIGGER louder BEFORE INSERT ON notices FOR EACH ROW EXECUTE FUNCTION louder();
            """));
        var before = Snapshot();

        var refused = Assert.Throws<CopyRefused>(() => LiteToPostgres.Copy(Lite, _postgres.Db));

        Assert.Equal(["notices"], refused.Report!.Tables.Where(t => !t.Matches).Select(t => t.Table));
        Assert.All(refused.Report.Tables, t => Assert.Equal(t.Rows, t.ReadRows));
        Assert.Equal(before, Snapshot());
    }

    /// <summary>How many rows each table holds.</summary>
    private string Snapshot() => _postgres.Db.Run(c => string.Join(", ", c.Query<string>("""
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' ORDER BY table_name
        """).AsList().Select(table => $"{table}={c.ExecuteScalar<long>($"SELECT count(*) FROM {table}")}")));

    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The same, lists and all (records compare their lists by reference; their JSON by what is in them).
    /// </summary>
    private static void Same<T>(T expected, T actual) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected, Json),
            System.Text.Json.JsonSerializer.Serialize(actual, Json));
}
