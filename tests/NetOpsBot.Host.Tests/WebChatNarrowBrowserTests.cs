using Microsoft.Playwright;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The web chat at 420 px wide (a phone, a split screen) in a real Chromium: no horizontal scroll, and the incident
/// list readable, each incident with device, state, root cause and age; a second request joins with a link.
/// </summary>
public sealed class WebChatNarrowBrowserTests
{
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    [Fact]
    public async Task At420Px_NoHorizontalScroll_IncidentListShowsDeviceStateCauseAndAge_SecondAskJoinsWithALink()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(30_000);
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 420, Height = 900 } });
        await page.GotoAsync(host.Url.ToString());
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("connected");

        await page.GetByTestId("composer").FillAsync("/sshdiag sw-access-12");
        await page.GetByTestId("composer").PressAsync("Enter");
        var item = page.GetByTestId("incident-item").First;
        await Assertions.Expect(item).ToContainTextAsync("sw-access-12");
        await Assertions.Expect(item).ToContainTextAsync("Diagnosed", new() { Timeout = 60_000 });
        await Assertions.Expect(item).ToContainTextAsync("SSH listener stuck on another port");
        await Assertions.Expect(item).ToContainTextAsync("No route back to the management subnet");
        await Assertions.Expect(item).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"opened \d+ (s|min) ago"));

        // Readable: inside the window, not squeezed, text not smaller than 12 px.
        var box = (await item.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 420.5 && box.Width >= 300, $"list item at x={box.X}, width {box.Width}");
        Assert.True(await item.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)") >= 12);

        // The card is drawn, and still nothing is wider than the window.
        await Assertions.Expect(page.GetByTestId("card").First).ToContainTextAsync("64443");
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[2] && widths[1] <= widths[2], $"page scrolls sideways: scrollWidth {widths[0]}/{widths[1]} > {widths[2]}");

        // A second ask for the open incident joins it: the answer links to its card, no second incident.
        await page.GetByTestId("composer").FillAsync("/sshdiag SW-ACCESS-12");
        await page.GetByTestId("composer").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("joined-link")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("incident-item")).ToHaveCountAsync(1);
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "webchat-420px.png"), FullPage = true });
    }
}
