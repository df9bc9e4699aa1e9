namespace Linli.Tests.Transcripts;

/// <summary>
/// Conversations as data (*.transcript), one line each, through the real app: every file in the folder runs, so a
/// new transcript is a new test without touching this class.
/// </summary>
public class TranscriptTests
{
    public static TheoryData<string> All() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts"), "*.transcript")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(All))]
    public Task Conversation(string transcript) => TranscriptRunner.RunAsync(transcript);
}
