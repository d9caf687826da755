using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>
/// Microsoft 365 Agents Playground (npm, installed by `npm ci` in js/) on a loopback port: a Teams client nobody
/// here wrote, with a mocked connector under /_connector. One tenant, a team with General and Incidents, and six
/// users (its config wants exactly five besides the current one). Killed with its process tree on dispose.
/// </summary>
internal sealed class AgentsPlayground : IAsyncDisposable
{
    public const string BotId = "28:" + TestIds.AppId;
    public static readonly (string Id, string Name, string AadObjectId) Alice = ("29:alice", "Alice Oncall", "a1a1a1a1-0000-4000-8000-000000000001");
    public static readonly (string Id, string Name, string AadObjectId) Bob = ("29:bob", "Bob Approver", "b2b2b2b2-0000-4000-8000-000000000002");
    public static readonly (string Id, string Name, string AadObjectId) Carol = ("29:carol", "Carol Approver", "c3c3c3c3-0000-4000-8000-000000000003");

    private readonly Process _process;
    private readonly string _dir;
    private readonly StringBuilder _log = new();

    private AgentsPlayground(Process process, string dir, Uri url)
    {
        _process = process;
        _dir = dir;
        Url = url;
    }

    public Uri Url { get; }

    public static string Cli => Path.Combine(RepoPaths.Root, "tests", "NetOpsBot.Teams.Tests", "js", "node_modules", "@microsoft", "m365agentsplayground", "cli.js");

    public static async Task<AgentsPlayground> StartAsync(Uri botEndpoint)
    {
        Assert.True(File.Exists(Cli), $"The Agents Playground is not installed: run `npm ci --prefix tests/NetOpsBot.Teams.Tests/js` ({Cli} missing).");
        var dir = Directory.CreateTempSubdirectory("netopsbot-playground-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, ".m365agentsplayground.yml"), Config());
        var port = FreePort();
        var psi = new ProcessStartInfo("node", [Cli, "start", "-e", botEndpoint.ToString(), "-c", "msteams", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dt", "--er"])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        var process = Process.Start(psi)!;
        var pg = new AgentsPlayground(process, dir, new Uri($"http://localhost:{port}/"));
        process.OutputDataReceived += (_, e) => pg.Append(e.Data);
        process.ErrorDataReceived += (_, e) => pg.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 150; i++)
        {
            if (process.HasExited)
            {
                var log = Path.Combine(dir, "devTools", "m365agentsplayground.log");
                throw new InvalidOperationException("the Playground exited: " + pg.Log + (File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty));
            }

            try
            {
                if ((await http.GetStringAsync(new Uri(pg.Url, "_debug/ping"))) == "pong")
                {
                    return pg;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await pg.DisposeAsync();
        throw new TimeoutException("the Playground did not answer /_debug/ping: " + pg.Log);
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// A browser page acting as <paramref name="userId"/>: the Playground's UI has one current user (from its config),
    /// so the page's copy of the config is swapped; the server knows every user, and the bot sees them apart.
    /// </summary>
    public async Task<IPage> OpenAsAsync(IBrowser browser, string userId)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1600 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.RouteAsync("**/_internal/v1/config", async route =>
        {
            var response = await route.FetchAsync();
            var json = JsonNode.Parse(await response.TextAsync())!;
            var config = json["config"]!;
            if (config["currentUser"]!["id"]!.GetValue<string>() != userId)
            {
                var users = config["users"]!.AsArray();
                var me = users.First(u => u!["id"]!.GetValue<string>() == userId)!;
                var index = users.IndexOf(me);
                var previous = config["currentUser"]!.DeepClone();
                var previousId = previous["id"]!.GetValue<string>();
                users[index] = previous;
                config["currentUser"] = me.DeepClone();
                foreach (var group in config["groupChats"]!.AsArray().Concat(config["teams"]!.AsArray()))
                {
                    var members = group!["members"]!.AsArray();
                    for (var i = 0; i < members.Count; i++)
                    {
                        if (members[i]!.GetValue<string>() == userId)
                        {
                            members[i] = previousId;
                        }
                    }
                }
            }

            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = json.ToJsonString() });
        });
        await page.GotoAsync(Url.ToString());
        return page;
    }

    /// <summary>The Playground's event recording (--er): every activity in and out and the bot's answers, JSON documents separated by '---' lines.</summary>
    public string RecordingFile() =>
        Directory.GetFiles(Path.Combine(_dir, "devTools"), "events_recording_*").OrderBy(File.GetLastWriteTimeUtc).Last();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Config()
    {
        var others = new[] { Bob, Carol, ("29:dave", "Dave Viewer", "d4d4d4d4-0000-4000-8000-000000000004"), ("29:erin", "Erin Viewer", "e5e5e5e5-0000-4000-8000-000000000005"), ("29:frank", "Frank Viewer", "f6f6f6f6-0000-4000-8000-000000000006") };
        var sb = new StringBuilder();
        sb.Append("version: \"0.1.1\"\n");
        sb.Append("tenantId: ").Append(TestIds.TenantId).Append('\n');
        sb.Append("bot:\n  id: \"").Append(BotId).Append("\"\n  name: NetOpsBot\n");
        sb.Append("currentUser:\n  id: \"").Append(Alice.Id).Append("\"\n  name: ").Append(Alice.Name).Append("\n  userPrincipleName: alice@example.com\n  aadObjectId: ").Append(Alice.AadObjectId).Append("\n  givenName: Alice\n  surname: Oncall\n  email: alice@example.com\n");
        sb.Append("users:\n");
        foreach (var (id, name, aad) in others)
        {
            sb.Append("  - id: \"").Append(id).Append("\"\n    name: ").Append(name).Append("\n    userPrincipleName: ").Append(id[3..]).Append("@example.com\n    aadObjectId: ").Append(aad)
                .Append("\n    givenName: ").Append(name.Split(' ')[0]).Append("\n    surname: ").Append(name.Split(' ')[1]).Append("\n    email: ").Append(id[3..]).Append("@example.com\n");
        }

        sb.Append("personalChat:\n  id: \"a:personal-alice\"\n");
        sb.Append("groupChat:\n  id: \"19:netops-group@thread.v2\"\n  name: NetOps group\n");
        sb.Append("team:\n  id: \"19:netops-general@thread.tacv2\"\n  name: NetOps\n  aadGroupId: 7a7a7a7a-0000-4000-8000-000000000007\n  channels:\n    - id: \"19:netops-incidents@thread.tacv2\"\n      name: Incidents\n");
        return sb.ToString();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
