using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>The local web chat in a real headless Chromium, against the real host and a real lab.</summary>
public sealed class WebChatBrowserTests
{
    /// <summary>Screenshots are kept as CI artifacts here (see README).</summary>
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    private const string RecordCards = """
        window.__cards = [];
        new MutationObserver(() => {
          for (const c of document.querySelectorAll('[data-testid=card]')) {
            const t = c.innerText;
            if (window.__cards[window.__cards.length - 1] !== t) window.__cards.push(t);
          }
        }).observe(document, { subtree: true, childList: true, characterData: true });
        """;

    [Fact]
    public async Task SshDiag_SeedCase_CardGoesLiveStepByStepAndSurvivesReload()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var playwright = await Playwright.CreateAsync();
        // Expectations wait for eventual state (a diagnosis, a click's update): Playwright's 5 s default is too short on
        // a loaded 2-core runner. The latency bars are asserted explicitly, not through this timeout.
        Assertions.SetDefaultExpectTimeout(30_000);
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1400 } });
        await page.AddInitScriptAsync(RecordCards);
        await page.GotoAsync(host.Url.ToString());
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("connected");

        await page.GetByTestId("composer").FillAsync("/sshdiag sw-access-12");
        var sent = Stopwatch.StartNew();
        await page.GetByTestId("composer").PressAsync("Enter");
        await page.GetByTestId("card").First.WaitForAsync(new() { Timeout = 1000 });
        var cardAppeared = sent.Elapsed;

        var card = page.GetByTestId("card").First;
        await Assertions.Expect(card).ToContainTextAsync("listener-stuck", new() { Timeout = 30_000 });
        await Assertions.Expect(card).ToContainTextAsync("64443");
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "seed-case-final.png"), FullPage = true });

        var history = await page.EvaluateAsync<string[]>("window.__cards");
        Assert.True(cardAppeared < TimeSpan.FromSeconds(1), $"card took {cardAppeared.TotalMilliseconds:0} ms");
        var first = history[0];
        var steps = Count(first, "pending");
        Assert.True(steps >= 7, "the first card lists every step as pending:\n" + first);
        Assert.DoesNotContain("listener-stuck", first, StringComparison.Ordinal);
        var pendingCounts = history.Select(h => Count(h, "pending")).ToList();
        Assert.True(pendingCounts.Zip(pendingCounts.Skip(1)).All(p => p.Second <= p.First), "steps only move forward: " + string.Join(",", pendingCounts));
        Assert.True(history.Length >= 4, $"the card updated in place as steps finished ({history.Length} versions)");
        Assert.Equal(0, pendingCounts[^1]);
        Assert.Contains("return-route-missing", history[^1], StringComparison.Ordinal);

        var thread = page.GetByTestId("thread").First;
        await Assertions.Expect(thread).ToContainTextAsync("Verdict");
        var threadBefore = await thread.InnerTextAsync();

        await page.ReloadAsync();
        var reloadedCard = page.GetByTestId("card").First;
        await Assertions.Expect(reloadedCard).ToContainTextAsync("listener-stuck");
        await Assertions.Expect(reloadedCard).ToContainTextAsync("64443");
        var threadAfter = await page.GetByTestId("thread").First.InnerTextAsync();
        Assert.Equal(Lines(threadBefore).Count, Lines(threadAfter).Count);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "seed-case-after-reload.png"), FullPage = true });

        var export = await host.Client().GetStringAsync(await page.GetByTestId("export").First.GetAttributeAsync("href"));
        Assert.Contains("## 2. Diagnostic Steps & Findings", export, StringComparison.Ordinal);
        Assert.Contains("64443", export, StringComparison.Ordinal);
    }

    private static int Count(string text, string word) => Regex.Count(text, Regex.Escape(word), RegexOptions.IgnoreCase);

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
}
