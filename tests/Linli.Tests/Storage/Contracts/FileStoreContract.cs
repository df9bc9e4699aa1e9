using Linli.Storage;
using Linli.Storage.LiteDb;
using Linli.Storage.Postgres;
using Linli.Tests.Support;
using Linli.Uploads;

namespace Linli.Tests.Storage.Contracts;

/// <summary>What every <see cref="IFileStore"/> must do; each implementation runs these by deriving.</summary>
public abstract class FileStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5];

    protected abstract IFileStore Store { get; }

    private static UploadedFile NewFile(string id, int minutes = 0, string conversation = "") => new()
    {
        Id = id, FileName = id.Replace('/', '-') + ".png", ContentType = "image/png", CommunityId = "north",
        OwnerId = "p1", ConversationId = conversation, UploadedAt = Noon.AddMinutes(minutes), Length = Png.Length,
    };

    private void Save(UploadedFile file, byte[]? content = null) => Store.Save(file, new MemoryStream(content ?? Png));

    [Fact]
    public void AFileIsKeptWithItsBytesAndEveryFact()
    {
        var file = NewFile("tea/0123456789abcdef0123456789abcdef", conversation: "c1") with
        {
            UploadedAt = new DateTimeOffset(2026, 11, 2, 4, 0, 0, 123, TimeSpan.Zero),
        };
        Save(file);

        Assert.Equal(file, Store.Find(file.Id));
        Assert.Equal(Png, Store.Read(file.Id));
        Assert.Null(Store.Find("tea/ffffffffffffffffffffffffffffffff"));
        Assert.Null(Store.Read("tea/ffffffffffffffffffffffffffffffff"));
    }

    [Fact]
    public void SavingAgainReplacesTheBytes()
    {
        Save(NewFile("proofs/a"));
        Save(NewFile("proofs/a") with { Length = 3 }, [1, 2, 3]);

        Assert.Equal([1, 2, 3], Store.Read("proofs/a"));
        Assert.Equal(3, Store.Find("proofs/a")!.Length);
    }

    [Fact]
    public void OldFilesAreFoundByFolderTheTopFolderBeingIdsWithoutASlash()
    {
        Save(NewFile("old-chat", minutes: -90));
        Save(NewFile("new-chat", minutes: 0));
        Save(NewFile("tea/old", minutes: -90));
        Save(NewFile("proofs/old", minutes: -90));

        Assert.Equal(["old-chat"], Store.UploadedBefore("", Noon.AddMinutes(-60)));
        Assert.Equal(["tea/old"], Store.UploadedBefore("tea", Noon.AddMinutes(-60)));
        Assert.Equal(["new-chat", "old-chat"], Store.UploadedBefore("", Noon.AddMinutes(1)).Order());
        Assert.Empty(Store.UploadedBefore("tea", Noon.AddMinutes(-91)));
    }

    [Fact]
    public void AConversationsFilesAreFoundAndDeleted()
    {
        Save(NewFile("a", conversation: "c1"));
        Save(NewFile("b", conversation: "c1"));
        Save(NewFile("c", conversation: "c2"));

        Assert.Equal(["a", "b"], Store.OfConversation("c1").Order());
        Assert.True(Store.Delete("a"));
        Assert.False(Store.Delete("a"));
        Assert.Equal(["b"], Store.OfConversation("c1"));
        Assert.Empty(Store.OfConversation("c3"));
    }
}

public sealed class LiteFileStoreTests : FileStoreContract, IDisposable
{
    private readonly LinliDatabase _db = LinliDatabase.Open(":memory:");

    public LiteFileStoreTests() => Store = new LiteFileStore(_db);

    protected override IFileStore Store { get; }

    [Fact]
    public void AFileStoredBeforeItsUploadTimeWasWrittenDownIsDatedByItsUpload()
    {
        _db.FileStorage.Upload("legacy", "legacy.png", new MemoryStream([0xFF, 0xD8, 0xFF]));

        var file = Store.Find("legacy")!;
        Assert.Equal("", file.CommunityId);
        Assert.InRange(file.UploadedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(["legacy"], Store.UploadedBefore("", DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    public void Dispose() => _db.Dispose();
}

public sealed class PgFileStoreTests : FileStoreContract, IDisposable
{
    private readonly TestPostgresDatabase _postgres = new();

    protected override IFileStore Store => field ??= new PgFileStore(_postgres.Db);

    public void Dispose() => _postgres.Dispose();
}
