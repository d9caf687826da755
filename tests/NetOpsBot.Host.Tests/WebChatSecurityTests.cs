using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// Issue 13, items 1, 13, 14 and the live abuse case: nobody acts in the web chat without a verified identity. Demo users
/// exist only in Development on loopback; state changes need JSON and the page's header; the Host header must be ours;
/// /readyz details stay on this machine; live streams and bodies are capped.
/// </summary>
public sealed class WebChatSecurityTests
{
    private static readonly string[] EveryInterface = ["http://0.0.0.0:{port}", "http://127.0.0.1:{port};http://[::]:{port}", "http://+:{port}"];
    private static readonly string[] FormTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];
    private static readonly string[] ReboundPaths = ["/", "/api/incidents", "/api/chat/users"];
    private static readonly string[] PostPaths = ["/api/chat/messages", "/api/chat/actions"];

    /// <summary>An inventory whose jump host is not there: the host starts and answers, nothing reaches a device.</summary>
    internal static Dictionary<string, string> NoLab(string work)
    {
        File.WriteAllText(Path.Combine(work, "inventory.json"), """
            {"jumpHosts":[{"name":"bastion-1","address":"127.0.0.1","port":1,"user":"netopsbot","keyFile":"/nonexistent"}],"consoleServers":[],
             "devices":[{"name":"sw-access-12","managementAddress":"127.0.0.1","managementIp":"10.12.0.12","credential":"core","jumpHost":"bastion-1"}]}
            """);
        File.WriteAllText(Path.Combine(work, "known_hosts"), string.Empty);
        return new Dictionary<string, string>
        {
            ["NetOps__InventoryPath"] = Path.Combine(work, "inventory.json"),
            ["NetOps__KnownHostsPath"] = Path.Combine(work, "known_hosts"),
        };
    }

    internal static async Task WithWorkAsync(Func<string, Task> body)
    {
        var work = Directory.CreateTempSubdirectory("netopsbot-webchat-sec-");
        try
        {
            await body(work.FullName);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    internal static Task<HostProcess> StartAsync(string work, Dictionary<string, string> settings) =>
        HostProcess.StartAsync(Path.Combine(work, "no-lab"), Path.Combine(work, "netopsbot.db"), settings);

    private static async Task<string> RefusedAsync(string work, Dictionary<string, string> settings)
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(work, settings));
        return ex.Message;
    }

    private static Dictionary<string, string> With(Dictionary<string, string> a, params (string Key, string Value)[] more)
    {
        var d = new Dictionary<string, string>(a);
        foreach (var (k, v) in more)
        {
            d[k] = v;
        }

        return d;
    }

    [Fact]
    public Task DemoUsers_OutsideDevelopmentOnLoopback_HostRefusesToStartNamingTheKey() => WithWorkAsync(async work =>
    {
        var baseSettings = NoLab(work);

        // Production on loopback: no demo users.
        var production = await RefusedAsync(work, With(baseSettings, ("ASPNETCORE_ENVIRONMENT", "Production")));
        Assert.Contains("NetOps:WebChat:Authentication", production, StringComparison.Ordinal);
        Assert.Contains("Development", production, StringComparison.Ordinal);

        // Development on every interface (a container, a LAN): no demo users either.
        foreach (var urls in EveryInterface)
        {
            var everywhere = await RefusedAsync(work, With(baseSettings, ("ASPNETCORE_URLS", urls)));
            Assert.Contains("NetOps:WebChat:Authentication", everywhere, StringComparison.Ordinal);
            Assert.Contains("loopback", everywhere, StringComparison.Ordinal);
        }

        var ports = await RefusedAsync(work, With(baseSettings, ("ASPNETCORE_HTTP_PORTS", "{port}")));
        Assert.Contains("http://*:", ports, StringComparison.Ordinal);

        // The compose override is for Development only.
        var overrideInProduction = await RefusedAsync(work, With(baseSettings, ("ASPNETCORE_ENVIRONMENT", "Production"), ("NetOps__WebChat__AllowDemoUsersOnContainerNetwork", "true")));
        Assert.Contains("NetOps:WebChat:AllowDemoUsersOnContainerNetwork", overrideInProduction, StringComparison.Ordinal);

        // Sign-in asked for but not configured: the missing keys are named.
        var halfOidc = await RefusedAsync(work, With(baseSettings, ("ASPNETCORE_ENVIRONMENT", "Production"), ("NetOps__WebChat__Authentication", "OpenIdConnect")));
        Assert.Contains("NetOps:WebChat:OpenIdConnect:Authority", halfOidc, StringComparison.Ordinal);
        Assert.Contains("NetOps:WebChat:OpenIdConnect:ClientId", halfOidc, StringComparison.Ordinal);
        Assert.Contains("NetOps:WebChat:PublicHostName", halfOidc, StringComparison.Ordinal);

        // Production with the web chat off (the Dockerfile's default) starts.
        await using (var off = await StartAsync(work, With(baseSettings, ("ASPNETCORE_ENVIRONMENT", "Production"), ("NetOps__WebChat__Enabled", "false"))))
        {
            using var http = off.Client();
            Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12" })).StatusCode);
        }

        // The compose scale-out demo: Development, every interface, the one override, announced as a warning.
        await using var compose = await StartAsync(work, With(baseSettings, ("ASPNETCORE_URLS", "http://0.0.0.0:{port}"), ("NetOps__WebChat__AllowDemoUsersOnContainerNetwork", "true")));
        Assert.Contains("AllowDemoUsersOnContainerNetwork=true", compose.Log, StringComparison.Ordinal);
        Assert.Contains("\"@l\":\"Warning\"", compose.Log.Split('\n').Single(l => l.Contains("AllowDemoUsersOnContainerNetwork=true", StringComparison.Ordinal)), StringComparison.Ordinal);
    });

    [Fact]
    public Task DemoHost_StateChangesNeedJsonAndTheHeader_OtherHostNamesRefused() => WithWorkAsync(async work =>
    {
        await using var host = await StartAsync(work, NoLab(work));
        using var raw = host.RawClient();
        var message = JsonSerializer.Serialize(new { user = "alice", text = "/sshdiag help", clientMessageId = "m1" });

        // What a cross-site form can send: text/plain (or form) without the header.
        foreach (var type in FormTypes)
        {
            using var form = new StringContent(message, Encoding.UTF8, type);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await raw.PostAsync("/api/chat/messages", form)).StatusCode);
        }

        using (var json = new StringContent(message, Encoding.UTF8, "application/json"))
        {
            var noHeader = await raw.PostAsync("/api/chat/messages", json);
            Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
            Assert.Contains("X-NetOpsBot-WebChat", await noHeader.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var page = host.Client();
        var ok = await page.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag help", clientMessageId = "m2" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("sshdiag", (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString(), StringComparison.Ordinal);

        // No CORS grant: a preflight gets nothing that would let another origin send the header.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/chat/messages");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-netopsbot-webchat");
        var pre = await raw.SendAsync(preflight);
        Assert.False(pre.Headers.Contains("Access-Control-Allow-Origin"));

        // DNS rebinding: the same loopback socket under another name.
        foreach (var path in ReboundPaths)
        {
            using var rebound = new HttpRequestMessage(HttpMethod.Get, path);
            rebound.Headers.Host = "evil.example:" + host.Url.Port;
            Assert.Equal(HttpStatusCode.BadRequest, (await raw.SendAsync(rebound)).StatusCode);
        }

        using (var reboundPost = new HttpRequestMessage(HttpMethod.Post, "/api/chat/actions") { Content = JsonContent.Create(new { user = "bob", data = new { verb = "approve" } }) })
        {
            reboundPost.Headers.Host = "evil.example";
            reboundPost.Headers.Add("X-NetOpsBot-WebChat", "1");
            Assert.Equal(HttpStatusCode.BadRequest, (await raw.SendAsync(reboundPost)).StatusCode);
        }

        using var localhostName = new HttpRequestMessage(HttpMethod.Get, "/api/chat/users");
        localhostName.Headers.Host = "localhost:" + host.Url.Port;
        Assert.Equal(HttpStatusCode.OK, (await raw.SendAsync(localhostName)).StatusCode);
    });

    [Fact]
    public Task RequestBodies_AreCapped() => WithWorkAsync(async work =>
    {
        await using var host = await StartAsync(work, NoLab(work));
        using var http = host.Client();

        // 25 MB of JSON, declared up front: refused before it is read.
        var huge = "{\"user\":\"alice\",\"text\":\"" + new string('x', 25 * 1024 * 1024) + "\"}";
        foreach (var path in PostPaths)
        {
            // Expect: 100-continue, as curl sends for big bodies: the answer comes before the upload, so the client reads it.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
            request.Headers.ExpectContinue = true;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(request)).StatusCode);
        }

        // The same size without a declared length (chunked) is cut off by the server's limit: never a 2xx.
        using (var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))))
        {
            chunked.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/actions") { Content = chunked };
            request.Headers.TransferEncodingChunked = true;
            try
            {
                var response = await http.SendAsync(request);
                Assert.False(response.IsSuccessStatusCode, $"a 25 MB chunked body was accepted: {(int)response.StatusCode}");
            }
            catch (HttpRequestException)
            {
                // The server closed the connection mid-upload: refused too.
            }
        }

    });

    [Fact]
    public Task LiveStreams_AreCappedPerCallerAndInTotal() => WithWorkAsync(async work =>
    {
        await using var host = await StartAsync(work, With(NoLab(work), ("NetOps__WebChat__MaxStreamClientsPerUser", "2"), ("NetOps__WebChat__MaxStreamClients", "3")));

        // Live streams: two per caller, three in all.
        // Each "caller" connects from its own loopback source address (demo users count per caller address).
        var clients = new List<HttpClient>();
        async Task<HttpResponseMessage> OpenAsync(string source)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                },
            };
            var client = new HttpClient(handler) { BaseAddress = host.Url, Timeout = TimeSpan.FromSeconds(30) };
            clients.Add(client);
            return await client.GetAsync("/api/chat/stream", HttpCompletionOption.ResponseHeadersRead);
        }

        var open = new List<HttpResponseMessage> { await OpenAsync("127.0.0.1"), await OpenAsync("127.0.0.1") };
        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var third = await OpenAsync("127.0.0.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("MaxStreamClientsPerUser", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        open.Add(await OpenAsync("127.0.0.2"));
        Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
        var fourth = await OpenAsync("127.0.0.3");
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Contains("MaxStreamClients", await fourth.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A closed stream gives its place back.
        open[0].Dispose();
        var sw = Stopwatch.StartNew();
        HttpResponseMessage again;
        do
        {
            await Task.Delay(100);
            again = await OpenAsync("127.0.0.3");
        }
        while (again.StatusCode == HttpStatusCode.TooManyRequests && sw.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        again.Dispose();
        open.ForEach(r => r.Dispose());
        clients.ForEach(c => c.Dispose());
    });

    [Fact]
    public Task Readyz_DetailsOnlyForThisMachine() => WithWorkAsync(async work =>
    {
        // A non-loopback address (TEST-NET-1) in this test's private network namespace: the caller an outside probe would be.
        var added = await DeploymentFilesTests.RunAsync("/bin/sh", "-c", "ip -o addr show dev lo | grep -q 192.0.2.77/32 || ip addr add 192.0.2.77/32 dev lo");
        Assert.True(added.Code == 0, "ip addr add (run inside the tests' network namespace, as root): " + added.Stderr);
        try
        {
            await ReadyzAsync(work);
        }
        finally
        {
            await DeploymentFilesTests.RunAsync("ip", "addr", "del", "192.0.2.77/32", "dev", "lo");
        }
    });

    private static async Task ReadyzAsync(string work)
    {
        await using var host = await StartAsync(work, With(NoLab(work), ("ASPNETCORE_ENVIRONMENT", "Production"), ("NetOps__WebChat__Enabled", "false"), ("ASPNETCORE_URLS", "http://0.0.0.0:{port}")));

        using var local = host.RawClient();
        var details = await local.GetAsync("/readyz");
        var localBody = await details.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, details.StatusCode); // the jump host of NoLab is not there
        Assert.Contains("jumpHost", localBody, StringComparison.Ordinal);
        Assert.Contains("secrets", localBody, StringComparison.Ordinal);

        using var outside = new HttpClient { BaseAddress = new Uri($"http://192.0.2.77:{host.Url.Port}"), Timeout = TimeSpan.FromSeconds(30) };
        var status = await outside.GetAsync("/readyz");
        var outsideBody = await status.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status.StatusCode);
        Assert.DoesNotContain("jumpHost", outsideBody, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets", outsideBody, StringComparison.Ordinal);
        Assert.Contains("not ready", outsideBody, StringComparison.Ordinal);

        // Loopback peer, but a page's own name for it (DNS rebinding): status only as well.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        rebound.Headers.Host = "attacker.example";
        Assert.DoesNotContain("jumpHost", await (await local.SendAsync(rebound)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The live abuse case of issue 13: a reboot request is waiting for approvals; three unauthenticated requests as
    /// alice, bob and carol against a production host (sign-in on) are refused and nothing runs; a text/plain post gets
    /// 415 and a foreign Host 400.
    /// </summary>
    [Fact]
    public async Task ThreeUnauthenticatedClicksAgainstAProductionHost_Refused_NothingRuns()
    {
        await using var lab = await TestLab.StartAsync("seed-case");
        string id;
        JsonElement runData, approveData;
        await using (var demo = await HostProcess.StartAsync(lab.RunDirectory, lab.Database))
        {
            using var http = demo.Client();
            id = (await (await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "abuse-1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
            await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed", TimeSpan.FromSeconds(60));
            runData = await CardClicks.DataAsync(http, id, "run", Reboot);
            var requested = await (await http.PostAsJsonAsync("/api/chat/actions", new { user = "alice", data = runData })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(requested.GetProperty("accepted").GetBoolean(), requested.ToString());
            // The real Approve button's data (request id and command hash): the attacker's clicks below are as good as a page's.
            var pending = await IncidentPolling.WaitAsync(http, id, i => CardClicks.Find(i.GetProperty("card"), "approve", Reboot) is not null, TimeSpan.FromSeconds(30));
            approveData = CardClicks.Find(pending.GetProperty("card"), "approve", Reboot)!.Value;
        }

        var connectionsBefore = lab.DeviceConnections("sw-access-12");
        await using (var production = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["NetOps__WebChat__Authentication"] = "OpenIdConnect",
            ["NetOps__WebChat__PublicHostName"] = "127.0.0.1",
            ["NetOps__WebChat__OpenIdConnect__Authority"] = "http://127.0.0.1:9/",
            ["NetOps__WebChat__OpenIdConnect__RequireHttpsMetadata"] = "false",
            ["NetOps__WebChat__OpenIdConnect__ClientId"] = "netopsbot",
            ["NetOps__WebChat__OpenIdConnect__ClientSecret"] = "not-a-real-secret",
            ["NetOps__Approvals__Approvers__webchat__0"] = "alice",
            ["NetOps__Approvals__Approvers__webchat__1"] = "bob",
            ["NetOps__Approvals__Approvers__webchat__2"] = "carol",
            ["NetOps__People__alice__WebChat__0"] = "alice",
            ["NetOps__People__bob__WebChat__0"] = "bob",
            ["NetOps__People__carol__WebChat__0"] = "carol",
        }))
        {
            using var attacker = production.Client();
            var answers = await Task.WhenAll(new[] { ("alice", "run"), ("bob", "approve"), ("carol", "approve") }
                .Select(c => attacker.PostAsJsonAsync("/api/chat/actions", Click(c.Item1, c.Item2 == "run" ? runData : approveData))));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
            var typed = await attacker.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12" });
            Assert.Equal(HttpStatusCode.Unauthorized, typed.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/api/incidents")).StatusCode);

            using var raw = production.RawClient();
            using var plain = new StringContent(JsonSerializer.Serialize(Click("bob", approveData)), Encoding.UTF8, "text/plain");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await raw.PostAsync("/api/chat/actions", plain)).StatusCode);
            using var rebound = new HttpRequestMessage(HttpMethod.Post, "/api/chat/actions") { Content = JsonContent.Create(Click("carol", approveData)) };
            rebound.Headers.Host = "evil.example";
            rebound.Headers.Add("X-NetOpsBot-WebChat", "1");
            Assert.Equal(HttpStatusCode.BadRequest, (await raw.SendAsync(rebound)).StatusCode);

            // The page itself is not served without sign-in (the provider here is unreachable, so no redirect either).
            using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = production.Url };
            var page = await noRedirect.GetAsync("/");
            Assert.False(page.IsSuccessStatusCode, $"the page answered {(int)page.StatusCode} without sign-in");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.Equal(connectionsBefore, lab.DeviceConnections("sw-access-12"));
        // The namespaced lab's stage one has no route back, so a reboot would have gone over the console, which sshd's
        // log does not see: the switch itself must still be up with its ghost listener (a reboot clears it).
        var device = lab.Controller.Network.Find("sw-access-12")!;
        Assert.Equal(NetOpsBot.Lab.Emulator.PowerState.Up, device.Power);
        Assert.Contains(64443, device.ListeningTcpPorts);
        await using var after = await HostProcess.StartAsync(lab.RunDirectory, lab.Database);
        using var check = after.Client();
        var incident = await check.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        var kinds = incident.GetProperty("thread").EnumerateArray().Select(t => t.GetProperty("kind").GetString()).ToList();
        Assert.DoesNotContain("ApprovalGranted", kinds);
        Assert.DoesNotContain(IncidentPolling.Thread(incident), t => t.Contains("Ran `reboot`", StringComparison.Ordinal));
        Assert.NotEqual("Resolved", incident.GetProperty("state").GetString());
    }

    private const string Reboot = "listener-stuck.reboot";

    private static object Click(string user, JsonElement data) => new { user, data };
}
