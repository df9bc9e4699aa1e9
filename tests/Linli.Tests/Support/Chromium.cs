using Microsoft.Playwright;

namespace Linli.Tests.Support;

/// <summary>Headless Chromium as the browser tests use it: the Debian package, loopback only.</summary>
public static class Chromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // This machine has no network but loopback: keep Chromium from reaching out at all.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });

    /// <summary>
    /// A message as Web Chat's transcript shows it (Web Chat repeats the text for screen readers elsewhere).
    /// </summary>
    public static ILocator Bubble(IPage page, string text) => page.Locator("#webchat p").GetByText(text).First;
}
