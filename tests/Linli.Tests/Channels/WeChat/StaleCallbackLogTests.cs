using Linli.Channels.WeChat;
using Linli.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Tests.Channels.WeChat;

public class StaleCallbackLogTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-05T08:00:00Z"));
    private readonly LogLines _lines = new();

    private StaleCallbackLog Log() => new(_clock, new LoggerFactory([_lines]).CreateLogger<StaleCallbackLog>());

    private string Stamp(int secondsAgo) => $"{_clock.GetUtcNow().ToUnixTimeSeconds() - secondsAgo}";

    [Fact]
    public void SaysHowFarOffTheClockWasOnceAMinutePerChannelCountingTheRest()
    {
        var log = Log();
        log.Refused("WeChat", Stamp(3600), 300);
        log.Refused("WeChat", Stamp(3600), 300);   // a replay loop: counted, not written
        log.Refused("WeChat", Stamp(3600), 300);
        log.Refused("WeCom", Stamp(-400), 300);     // another channel has its own minute
        _clock.Advance(TimeSpan.FromSeconds(59));
        log.Refused("WeChat", Stamp(3600), 300);
        _clock.Advance(TimeSpan.FromSeconds(1));
        log.Refused("WeChat", Stamp(3600), 300);

        Assert.Equal(
        [
            "Refused a signed WeChat message stamped 3600 s behind this server's clock (negative: ahead; at most 300 s"
            + " either way): a copy sent again, or a clock to set. 0 more refused for their time"
            + " since the last such warning",
            "Refused a signed WeCom message stamped -400 s behind this server's clock (negative: ahead; at most 300 s"
            + " either way): a copy sent again, or a clock to set. 0 more refused for their time"
            + " since the last such warning",
            "Refused a signed WeChat message stamped 3600 s behind this server's clock (negative: ahead; at most 300 s"
            + " either way): a copy sent again, or a clock to set. 3 more refused for their time"
            + " since the last such warning",
        ], _lines.AtLeast(LogLevel.Warning));
    }

    [Fact]
    public void ATimestampThatIsNotANumberIsSaidSoShortened()
    {
        Log().Refused("WeCom", "1733385600x" + new string('9', 40), 300);

        var line = Assert.Single(_lines.AtLeast(LogLevel.Warning));
        Assert.Equal(
            "Refused a signed WeCom message whose timestamp is not a number of seconds: 1733385600x999999999…."
            + " 0 more refused for their time since the last such warning",
            line);
    }
}
