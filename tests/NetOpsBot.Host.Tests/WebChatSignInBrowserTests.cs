using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using NetOpsBot.Testing;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Web chat sign-in end to end: a real OpenID Connect provider (npm oidc-provider, OpenID Certified, with its own login
/// form), the real host in production mode, a real Chromium. The acting user is the signed-in subject, whatever a request
/// body says; without sign-in the API answers 401.
/// </summary>
public sealed class WebChatSignInBrowserTests
{
    [Fact]
    public async Task OpenIdConnect_ChromiumSignsInAtTheProvider_IncidentOpenedByTheSubject_BodyUserIgnored()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        var hostPort = HostProcess.FreePort();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var idp = await OidcProvider.StartAsync($"http://127.0.0.1:{hostPort}/signin-oidc", secret);
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["NetOps__WebChat__Authentication"] = "OpenIdConnect",
            ["NetOps__WebChat__PublicHostName"] = "127.0.0.1",
            ["NetOps__WebChat__OpenIdConnect__Authority"] = idp.Issuer,
            // Only here: the test provider speaks plain http on loopback.
            ["NetOps__WebChat__OpenIdConnect__RequireHttpsMetadata"] = "false",
            ["NetOps__WebChat__OpenIdConnect__ClientId"] = "netopsbot-webchat",
            ["NetOps__WebChat__OpenIdConnect__ClientSecret"] = secret,
            ["NetOps__WebChat__OpenIdConnect__Scopes__0"] = "groups",
            ["NetOps__WebChat__OpenIdConnect__ApproverClaim"] = "groups",
            ["NetOps__WebChat__OpenIdConnect__ApproverClaimValue"] = "netops-approvers",
            // The provider's subjects are people of the approver directory; the claim decides which of them approve.
            ["NetOps__People__dana__DisplayName"] = "Dana Approver",
            ["NetOps__People__dana__WebChat__0"] = "u-1001",
            ["NetOps__People__erin__DisplayName"] = "Erin Engineer",
            ["NetOps__People__erin__WebChat__0"] = "u-1002",
            ["NetOps__People__frank__DisplayName"] = "Frank",
            ["NetOps__People__frank__WebChat__0"] = "u-1003",
        }, hostPort);

        // Without sign-in: 401 for the API, whoever the body names.
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/chat/actions", new { user = "bob", data = new { verb = "approve" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/incidents")).StatusCode);

        using var playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(30_000);
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await SignInAsync(browser, host, idp, "u-1002");

        // Back on the web chat, signed in: the picker shows the signed-in person and cannot be changed.
        await Assertions.Expect(page.GetByTestId("user")).ToHaveValueAsync("Erin Engineer");
        await Assertions.Expect(page.GetByTestId("user")).ToBeDisabledAsync();

        await page.GetByTestId("composer").FillAsync("/sshdiag sw-access-12");
        await page.GetByTestId("composer").PressAsync("Enter");
        await page.GetByTestId("card").First.WaitForAsync();
        var listed = await Fetch(page, "GET", "/api/incidents", null);
        var opened = Assert.Single(listed.GetProperty("incidents").EnumerateArray());
        Assert.Equal("webchat:u-1002", opened.GetProperty("requesterId").GetString());
        Assert.Equal("Erin Engineer", opened.GetProperty("requester").GetString());
        var id = opened.GetProperty("incidentId").GetString()!;

        // A forged body user from the signed-in page (the page's header, its cookie): the subject acts, not "alice".
        var forged = await Fetch(page, "POST", "/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-13", clientMessageId = "forged-1" });
        Assert.True(forged.GetProperty("accepted").GetBoolean(), forged.ToString());
        var forgedIncident = await Fetch(page, "GET", "/api/incidents/" + forged.GetProperty("incidentId").GetString(), null);
        Assert.Equal("webchat:u-1002", forgedIncident.GetProperty("requesterId").GetString());
        Assert.DoesNotContain("alice", forgedIncident.GetProperty("requester").GetString()!, StringComparison.Ordinal);

        // The cookie is the host's, HttpOnly: page scripts cannot read or lift it.
        var cookies = await page.Context.CookiesAsync([host.Url.ToString()]);
        Assert.Contains(cookies, c => c.Name == "netopsbot.webchat" && c.HttpOnly);
        Assert.DoesNotContain("netopsbot.webchat", await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

        // Approvers by claim (groups contains netops-approvers): Dana's approval counts, Frank's (no such group) does not,
        // and neither names anyone in the body.
        await WaitAsync(page, id, i => i.GetProperty("state").GetString() == "Diagnosed");
        // Button data as the page reads it from the rendered card (request id and command hash included).
        const string reboot = "listener-stuck.reboot";
        var diagnosed = await Fetch(page, "GET", "/api/incidents/" + id, null);
        var run = await Fetch(page, "POST", "/api/chat/actions", new { user = "carol", data = CardClicks.Find(diagnosed.GetProperty("card"), "run", reboot) });
        Assert.True(run.GetProperty("accepted").GetBoolean(), run.ToString());
        var requested = await WaitAsync(page, id, i => CardClicks.Find(i.GetProperty("card"), "approve", reboot) is not null);
        var approve = CardClicks.Find(requested.GetProperty("card"), "approve", reboot);
        var frank = await SignInAsync(browser, host, idp, "u-1003");
        var refused = await Fetch(frank, "POST", "/api/chat/actions", new { user = "bob", data = approve });
        Assert.False(refused.GetProperty("accepted").GetBoolean(), refused.ToString());
        var dana = await SignInAsync(browser, host, idp, "u-1001");
        var approved = await Fetch(dana, "POST", "/api/chat/actions", new { data = approve });
        Assert.True(approved.GetProperty("accepted").GetBoolean(), approved.ToString());
        var thread = await WaitAsync(page, id, i => i.GetProperty("thread").EnumerateArray().Any(t => t.GetProperty("kind").GetString() == "ApprovalGranted"));
        var granted = Assert.Single(thread.GetProperty("thread").EnumerateArray(), t => t.GetProperty("kind").GetString() == "ApprovalGranted");
        Assert.Contains("Dana Approver", granted.GetProperty("actor").GetString() + " " + granted.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(thread.GetProperty("thread").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("Ran `reboot`", StringComparison.Ordinal));
    }

    /// <summary>A fresh browser context signs in through the provider's own login form and lands on the connected web chat.</summary>
    private static async Task<IPage> SignInAsync(IBrowser browser, HostProcess host, OidcProvider idp, string login)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.Url.ToString());
        Assert.StartsWith(idp.Issuer + "/interaction/", page.Url, StringComparison.Ordinal);
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any-password");
        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToHaveTextAsync("connected");
        Assert.StartsWith(host.Url.ToString(), page.Url, StringComparison.Ordinal);
        return page;
    }

    private static async Task<JsonElement> WaitAsync(IPage page, string id, Func<JsonElement, bool> done)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var incident = await Fetch(page, "GET", "/api/incidents/" + id, null);
            if (done(incident))
            {
                return incident;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting on " + incident);
            await Task.Delay(250);
        }
    }

    /// <summary>fetch() from inside the signed-in page, as the page's own script would (header and cookie included).</summary>
    private static async Task<JsonElement> Fetch(IPage page, string method, string path, object? body)
    {
        var json = await page.EvaluateAsync<string>(
            """
            async ([method, path, body]) => {
              const init = { method, headers: { "content-type": "application/json", "x-netopsbot-webchat": "1" } };
              if (body !== null) init.body = body;
              const res = await fetch(path, init);
              return JSON.stringify({ status: res.status, body: await res.json() });
            }
            """,
            new object?[] { method, path, body is null ? null : JsonSerializer.Serialize(body) });
        var result = JsonDocument.Parse(json).RootElement;
        Assert.True(result.GetProperty("status").GetInt32() == 200, $"{method} {path}: {json}");
        return result.GetProperty("body").Clone();
    }
}

/// <summary>npm oidc-provider (tests/NetOpsBot.Host.Tests/js, `npm ci` first) as a process on a loopback port.</summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    private OidcProvider(Process process, StringBuilder log, string issuer)
    {
        _process = process;
        _log = log;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public static async Task<OidcProvider> StartAsync(string redirectUri, string clientSecret)
    {
        var js = Path.Combine(RepoPaths.Root, "tests", "NetOpsBot.Host.Tests", "js");
        Assert.True(Directory.Exists(Path.Combine(js, "node_modules", "oidc-provider")), $"run `npm ci --prefix {js}` first (scripts/test.sh does)");
        var port = HostProcess.FreePort();
        var psi = new ProcessStartInfo("node", [Path.Combine(js, "oidc-provider.mjs"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), redirectUri, clientSecret])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = js,
        };
        var log = new StringBuilder();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("listening ", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult(e.Data["listening ".Length..]);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var provider = new OidcProvider(process, log, $"http://127.0.0.1:{port}");
        if (await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(20))) != listening.Task)
        {
            await provider.DisposeAsync();
            throw new TimeoutException("oidc-provider did not start:\n" + log);
        }

        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _ = _log;
    }
}
