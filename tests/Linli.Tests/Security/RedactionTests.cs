using Linli.People;

namespace Linli.Tests.Security;

/// <summary>
/// What a transcript keeps of a message: staff read it, so nothing in it may sign them in or reveal a code.
/// </summary>
public sealed class RedactionTests
{
    [Theory]
    [InlineData("已发起议题 #1。[打开看看]" +
        "(https://linli.example.org/auth/link?t=abc.def&return=%2Ftea%2F1)\n下一步",
        "已发起议题 #1。[登录链接]\n下一步")]
    [InlineData("open /auth/link?t=abc.def&return=%2F now", "open [登录链接] now")]
    [InlineData("我的手机 13800138000，验证码 123456", "我的手机 138****8000，验证码 ******")]
    [InlineData("3栋502 漏水，2026-11-30", "3栋502 漏水，2026-11-30")]
    public void SignInLinksCodesAndPhonesNeverReachATranscript(string said, string kept) =>
        Assert.Equal(kept, Redaction.Redact(said));
}
