namespace Linli.Tests.Transcripts;

/// <summary>Conversations as data (*.transcript), one line each, through the real app.</summary>
public class TranscriptTests
{
    [Theory]
    [InlineData("repair-with-invalid-unit")]
    [InlineData("repair-unit-in-first-message")]
    [InlineData("cancel-mid-dialog")]
    [InlineData("help-mid-dialog")]
    [InlineData("emergency-interrupts-fee-query")]
    [InlineData("fee-query")]
    [InlineData("tea-table")]
    [InlineData("another-units-bill")]
    [InlineData("demo-resident-binds")]
    [InlineData("switch-asks-first")]
    [InlineData("restart-mid-dialog")]
    [InlineData("too-many-retries-offers-a-person")]
    [InlineData("idle-dialog-expires")]
    [InlineData("english")]
    [InlineData("handoff")]
    [InlineData("complaint")]
    [InlineData("complaint-service")]
    [InlineData("mediation")]
    [InlineData("hazard-report")]
    [InlineData("hazard-report-en")]
    [InlineData("notice-unbound")]
    [InlineData("fee-topics")]
    [InlineData("repair-in-one-sentence")]
    [InlineData("repair-time-and-urgency")]
    [InlineData("fee-after-binding")]
    [InlineData("english-on-a-chinese-page")]
    [InlineData("emergency-mid-repair")]
    [InlineData("photo-refusal-is-an-answer")]
    [InlineData("not-understood-offers-a-person")]
    [InlineData("corrections-and-denials")]
    public Task Conversation(string transcript) => TranscriptRunner.RunAsync(transcript);
}
