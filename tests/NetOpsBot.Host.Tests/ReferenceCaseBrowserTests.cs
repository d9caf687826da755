using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The reference case (seeds/000_2f442086c97f7a53.txt) replayed end to end in the local web chat, in
/// a real Chromium, against the real host and a real lab: diagnosis, two-person approvals, the route
/// fix, the port change that changes nothing, the reboot, recovery and a healthy re-diagnosis.
/// </summary>
public sealed class ReferenceCaseBrowserTests
{
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    [Fact]
    public async Task SeedCase_TwoPersonApprovedFixesAndReboot_IncidentResolvedAndPostmortemTellsTheStory()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            ["NetOps__Remediation__RecoveryDeadlineSeconds"] = "60",
            // Dave may use the web chat but is no approver.
            ["NetOps__WebChat__Users__0"] = "alice",
            ["NetOps__WebChat__Users__1"] = "bob",
            ["NetOps__WebChat__Users__2"] = "carol",
            ["NetOps__WebChat__Users__3"] = "dave",
        });
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
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1600 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(host.Url.ToString());
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("connected");
        Directory.CreateDirectory(Screenshots);

        // Carol watches the channel on her own page: what is for one clicker alone never reaches it.
        var watcher = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await watcher.GotoAsync(host.Url.ToString());
        await Assertions.Expect(watcher.GetByTestId("status")).ToHaveTextAsync("connected");
        await ActAs(watcher, "carol");

        // A (alice) asks; the verdict names both faults of the reference case.
        await ActAs(page, "alice");
        await page.GetByTestId("composer").FillAsync("/sshdiag sw-access-12");
        await page.GetByTestId("composer").PressAsync("Enter");
        var card = page.GetByTestId("card").First;
        var thread = page.GetByTestId("thread").First;
        await Assertions.Expect(card).ToContainTextAsync("listener-stuck");
        await Assertions.Expect(card).ToContainTextAsync("return-route-missing");

        // Stage one (issue 15): the switch has no route back, so no port answers the management subnet and the CLI is
        // reached over the console; nothing on the card or in the thread may claim an answer from the switch.
        using var http = host.Client();
        var id = (await http.GetFromJsonAsync<JsonElement>("/api/incidents")).GetProperty("incidents")[0].GetProperty("incidentId").GetString()!;
        var stageOne = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed");
        Assert.Contains("tcp 22: timed out", stageOne.GetProperty("card").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("no route back", stageOne.GetProperty("card").GetRawText(), StringComparison.Ordinal);
        NamespacedReferenceCaseTests.AssertNoContradiction(stageOne);

        // A requests the route fix: her page shows her Withdraw and no Approve (her own request); B's shows Approve and
        // no Withdraw; B approves; the route is added.
        await Click(page, "Request: Add a default route via 10.12.0.1");
        await Assertions.Expect(Button(page, "Withdraw: Add a default route via 10.12.0.1")).ToBeVisibleAsync();
        await Assertions.Expect(Button(page, "Approve: Add a default route via 10.12.0.1")).ToHaveCountAsync(0);
        await Assertions.Expect(Button(watcher, "Approve: Add a default route via 10.12.0.1")).ToBeVisibleAsync();
        await Assertions.Expect(Button(watcher, "Withdraw: Add a default route via 10.12.0.1")).ToHaveCountAsync(0);
        // Dave is no approver: his page offers him neither Approve nor Reject (the server would refuse them anyway).
        await ActAs(watcher, "dave");
        await Assertions.Expect(Button(watcher, "Approve: Add a default route via 10.12.0.1")).ToHaveCountAsync(0);
        await Assertions.Expect(Button(watcher, "Reject: Add a default route via 10.12.0.1")).ToHaveCountAsync(0);
        await ActAs(watcher, "carol");
        await Assertions.Expect(Button(watcher, "Approve: Add a default route via 10.12.0.1")).ToBeVisibleAsync();
        await ActAs(page, "bob");
        await Assertions.Expect(Button(page, "Withdraw: Add a default route via 10.12.0.1")).ToHaveCountAsync(0);
        await Click(page, "Approve: Add a default route via 10.12.0.1");
        await Assertions.Expect(thread).ToContainTextAsync("over the console");
        await Assertions.Expect(thread).ToContainTextAsync("system-view; ip route-static 0.0.0.0 0.0.0.0 10.12.0.1; return");
        await Assertions.Expect(thread).ToContainTextAsync("Still open after Add a default route via 10.12.0.1: SSH listener stuck on another port");

        // Stage two, re-diagnosed over SSH now that replies have a path: 22 refused by RST, 64443 answers.
        var stageTwo = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed" && IncidentPolling.Thread(i).Contains("Still open: listener-stuck"));
        Assert.Contains("tcp 22: refused (RST)", stageTwo.GetProperty("card").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("cli via ssh:64443: ok", stageTwo.GetProperty("card").GetRawText(), StringComparison.Ordinal);
        NamespacedReferenceCaseTests.AssertNoContradiction(stageTwo);

        // A requests `ssh server port 22`; B approves; the listener stays stuck on 64443.
        await ActAs(page, "alice");
        await Click(page, "Request: Re-apply ssh server port 22");
        await ActAs(page, "bob");
        await Click(page, "Approve: Re-apply ssh server port 22");
        await Assertions.Expect(thread).ToContainTextAsync("ssh server port 22");
        await Assertions.Expect(thread).ToContainTextAsync("Still open after Re-apply ssh server port 22: SSH listener stuck on another port");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "reference-case-before-reboot.png"), FullPage = true });

        // A requests the reboot; B approves, B's second click counts once, C approves: it runs.
        await ActAs(page, "alice");
        await Click(page, "Request reboot…");
        await Click(page, "Confirm: Request reboot");
        await Assertions.Expect(thread).ToContainTextAsync("needs 2 different approvers");
        // The approvers see what the reboot saves: the route added above is not saved yet.
        await Assertions.Expect(card).ToContainTextAsync("unsaved change(s), saved before the reboot");
        await Assertions.Expect(card).ToContainTextAsync("not saved: ip route-static 0.0.0.0 0.0.0.0 10.12.0.1");
        await ActAs(page, "bob");
        await Click(page, "Approve: Save and reboot to flush the stuck listener");
        await Assertions.Expect(thread).ToContainTextAsync("(1 of 2 approvals)");
        await Click(page, "Approve: Save and reboot to flush the stuck listener");

        // The repeat is told to B's page alone, marked so, and is no thread line (the known double-click defect).
        var mine = page.Locator("[data-testid=bot-reply][data-only-you=true]").Last;
        await Assertions.Expect(mine).ToContainTextAsync("counts once");
        await Assertions.Expect(mine).ToContainTextAsync("only you can see this");
        await Assertions.Expect(thread).Not.ToContainTextAsync("counts once");
        await ActAs(page, "carol");
        await Click(page, "Approve: Save and reboot to flush the stuck listener");

        await Assertions.Expect(thread).ToContainTextAsync(new Regex("Running REQ-\\S+ on sw-access-12: save; reboot"), new() { Timeout = 60_000 });
        await Assertions.Expect(thread).ToContainTextAsync("recovered: back on TCP 22", new() { Timeout = 60_000 });
        await Assertions.Expect(thread).ToContainTextAsync("0.0.0.0:22 listening, SSH login through the jump host works");
        await Assertions.Expect(thread).ToContainTextAsync("healthy again: incident resolved", new() { Timeout = 60_000 });
        await Assertions.Expect(card).ToContainTextAsync("healthy");

        // The resolved card tells the story on top (the route fix and the reboot worked; `ssh server port 22` did not),
        // then the final healthy check; the original evidence is one click away.
        await Assertions.Expect(card).ToContainTextAsync(new Regex(@"Resolved in (\d+ min )?\d+ s: listener stuck on 64443 and no return route; fixed by default route \((?i:bob)\) and reboot \((?i:bob), (?i:carol)\)"));
        await Assertions.Expect(card).ToContainTextAsync("Final check: After Save and reboot to flush the stuck listener");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Earlier runs \\(\\d+\\): original evidence") }).Last.ClickAsync();
        await Assertions.Expect(card).ToContainTextAsync("0.0.0.0:64443");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "reference-case-resolved.png"), FullPage = true });

        var incident = await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.Equal("Resolved", incident.GetProperty("state").GetString());
        NamespacedReferenceCaseTests.AssertNoContradiction(incident);
        Assert.DoesNotContain(incident.GetProperty("thread").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("counts once", StringComparison.Ordinal));
        await Assertions.Expect(watcher.Locator("body")).Not.ToContainTextAsync("counts once");
        var postmortem = await http.GetStringAsync($"/api/incidents/{id}/export");
        foreach (var fact in new[] { "64443", "Nothing listens on port 22", "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", "ssh server port 22", "reboot", "bob", "carol", "0.0.0.0:22 Listening", "healthy" })
        {
            Assert.Contains(fact, postmortem, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(Path.Combine(Screenshots, "reference-case-postmortem.md"), postmortem);
    }

    private static async Task ActAs(IPage page, string user) => await page.GetByTestId("user").SelectOptionAsync(user);

    private static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static Task Click(IPage page, string button) =>
        page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
}
