using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NetOpsBot.Secrets.KeyVault.Tests;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The host as deployed: secrets from Key Vault through DefaultAzureCredential (the Container Apps managed identity
/// endpoint), telemetry to an OTLP collector, Slack and Teams configured. A full seed-case run, then every place a
/// secret could leak is searched for the planted values.
/// </summary>
public sealed class ProductionSecretsTests
{
    [Fact]
    public async Task FullSeedCaseRun_WithKeyVaultSecrets_NeverShowsASecretValue_AndExportsTelemetry()
    {
        await using var lab = await TestLab.StartAsync("seed-case", bootTimeSeconds: 2);
        await using var vault = await FakeKeyVault.StartAsync();
        await using var otlp = await OtlpReceiver.StartAsync();

        // Planted values: the lab's real device password, a passphrase we put on a copy of the bot's jump key,
        // and recognisable Slack / Teams tokens.
        var inventory = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(lab.RunDirectory, "inventory.json"))).RootElement;
        var labKey = inventory.GetProperty("jumpHosts")[0].GetProperty("keyFile").GetString()!;
        var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(lab.RunDirectory, "credentials.json"))).RootElement.GetProperty("lab-device");
        var devicePassword = credentials.GetProperty("password").GetString()!;
        var passphrase = "JUMPKEY-PASSPHRASE-" + Guid.NewGuid().ToString("N");
        var encryptedKey = Path.Combine(lab.WorkDirectory, "jump_key_encrypted");
        File.Copy(labKey, encryptedKey);
        await RunAsync("ssh-keygen", "-q", "-p", "-P", "", "-N", passphrase, "-f", encryptedKey);
        var keyText = await File.ReadAllTextAsync(encryptedKey);
        Assert.Contains("BEGIN OPENSSH PRIVATE KEY", keyText, StringComparison.Ordinal);
        var keyBody = keyText.Split('\n')[2];

        vault.Set("device-lab-device", JsonSerializer.Serialize(new { user = credentials.GetProperty("user").GetString(), password = devicePassword }));
        vault.Set("jumphost-lab-jump-key", keyText);
        vault.Set("jumphost-lab-jump-passphrase", passphrase);
        var slackToken = "xoxb-1111-2222-SLACKCANARY" + Guid.NewGuid().ToString("N")[..12];
        var slackSigning = "SIGNINGCANARY" + Guid.NewGuid().ToString("N");
        var teamsSecret = "TEAMS-CLIENT-SECRET-CANARY-" + Guid.NewGuid().ToString("N");
        var secrets = new Dictionary<string, string>
        {
            ["device password"] = devicePassword,
            ["jump key passphrase"] = passphrase,
            ["jump key body"] = keyBody,
            ["Slack bot token"] = slackToken,
            ["Slack signing secret"] = slackSigning,
            ["Teams client secret"] = teamsSecret,
            ["managed identity token"] = vault.AccessToken,
        };

        var pem = Path.Combine(lab.WorkDirectory, "fake-vault-ca.pem");
        await File.WriteAllTextAsync(pem, vault.CertificatePem());
        var closed = ClosedPort();
        var settings = new Dictionary<string, string>
        {
            ["NetOps__Secrets__Provider"] = "KeyVault",
            ["NetOps__Secrets__KeyVault__VaultUri"] = vault.LoopbackVaultUri.ToString(),
            ["NetOps__Secrets__KeyVault__DisableChallengeResourceVerification"] = "true",
            ["NetOps__Secrets__KeyVault__MaxRetries"] = "0",
            // Container Apps' managed identity endpoint, as DefaultAzureCredential finds it there.
            ["IDENTITY_ENDPOINT"] = vault.IdentityEndpoint.ToString(),
            ["IDENTITY_HEADER"] = vault.IdentityHeader,
            ["AZURE_TOKEN_CREDENTIALS"] = "ManagedIdentityCredential",
            // Trust the fake vault's certificate (OpenSSL's default trust file, honoured by .NET on Linux).
            ["SSL_CERT_FILE"] = pem,
            ["NetOps__Telemetry__OtlpEndpoint"] = otlp.Endpoint.ToString(),
            ["NetOps__Telemetry__MetricExportIntervalSeconds"] = "1",
            ["NetOps__Telemetry__PendingApprovalsRefreshSeconds"] = "1",
            ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
            ["Slack__SigningSecret"] = slackSigning,
            ["Slack__BotToken"] = slackToken,
            ["Slack__TeamId"] = "T0NETOPS01",
            ["Slack__AppId"] = "A0NETOPS01",
            ["Slack__ApiBaseUrl"] = $"http://127.0.0.1:{closed}/api/",
            ["Teams__AppId"] = "7e0a1d7c-3b4e-4c59-9f0e-5a1f1c2d3e4f",
            ["Teams__AppType"] = "SingleTenant",
            ["Teams__TenantId"] = "0d9f4b1e-8a2c-4f3b-9c6d-7e8f9a0b1c2d",
            ["Teams__ClientSecret"] = teamsSecret,
            ["Teams__OpenIdMetadataUrl"] = $"http://127.0.0.1:{closed}/openid",
            ["Teams__EntraOpenIdMetadataUrl"] = $"http://127.0.0.1:{closed}/entra",
        };

        string? incidentJson, export;
        await using (var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings))
        {
            using var http = host.Client();
            var ready = await WaitForReadyAsync(http);
            Assert.Equal("ok", ready.GetProperty("secrets").GetProperty("status").GetString());

            var started = await (await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "leak-1" })).Content.ReadFromJsonAsync<JsonElement>();
            var id = started.GetProperty("incidentId").GetString()!;
            var diagnosed = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed", TimeSpan.FromSeconds(60));
            Assert.Contains("64443", diagnosed.ToString(), StringComparison.Ordinal);

            Task<object> Click(string user, string verb, string plan = "listener-stuck.reboot") => CardClicks.BodyAsync(http, id, user, verb, plan);

            // The reference story: the route fix first (one approver), then the reboot (two).
            Assert.True((await http.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run", "return-route-missing.default-route"))).IsSuccessStatusCode);
            Assert.True((await http.PostAsJsonAsync("/api/chat/actions", await Click("bob", "approve", "return-route-missing.default-route"))).IsSuccessStatusCode);
            await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Diagnosed" && IncidentPolling.Thread(i).Any(t => t.Contains("Still open: listener-stuck", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
            Assert.True((await http.PostAsJsonAsync("/api/chat/actions", await Click("alice", "run"))).IsSuccessStatusCode);
            // Long enough for the pending-approvals gauge (1 s) and one metric export (1 s) to see the waiting request.
            await Task.Delay(2500);
            Assert.True((await http.PostAsJsonAsync("/api/chat/actions", await Click("bob", "approve"))).IsSuccessStatusCode);
            Assert.True((await http.PostAsJsonAsync("/api/chat/actions", await Click("carol", "approve"))).IsSuccessStatusCode);
            var resolved = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() == "Resolved", TimeSpan.FromSeconds(90));
            incidentJson = resolved.ToString();
            export = await http.GetStringAsync($"/api/incidents/{id}/export");
            Assert.Contains("Ran `reboot`", incidentJson, StringComparison.Ordinal);
            await Task.Delay(2500);

            // Every secret came from the vault: the device login, the jump key and its passphrase.
            Assert.Contains("device-lab-device", vault.Reads);
            Assert.Contains("jumphost-lab-jump-key", vault.Reads);
            Assert.Contains("jumphost-lab-jump-passphrase", vault.Reads);
            Assert.True(vault.TokensIssued >= 1, "the managed identity endpoint was never asked for a token");
            await host.DisposeAsync();

            Assert.Contains(id, DatabaseText(lab.Database), StringComparison.Ordinal);
            var places = new Dictionary<string, string>
            {
                ["host stdout/stderr"] = host.Log,
                ["incident (card, thread)"] = incidentJson,
                ["postmortem export"] = export,
                ["database"] = DatabaseText(lab.Database),
                ["OTLP traces"] = otlp.Text("traces"),
                ["OTLP metrics"] = otlp.Text("metrics"),
            };
            foreach (var (place, text) in places)
            {
                foreach (var (what, value) in secrets)
                {
                    Assert.False(text.Contains(value, StringComparison.Ordinal), $"the {what} appears in the {place}");
                }
            }

            // Telemetry: per-step durations, SSH connect time, approvals pending, ack latency, and the spans.
            var metrics = otlp.Text("metrics");
            foreach (var name in new[] { "netopsbot.diagnosis.step.duration", "netopsbot.ssh.connect.duration", "netopsbot.approvals.pending", "netopsbot.chat.ack.duration", "netopsbot.diagnosis.duration" })
            {
                Assert.Contains(name, metrics, StringComparison.Ordinal);
            }

            var traces = otlp.Text("traces");
            Assert.Contains("diagnosis.step listener", traces, StringComparison.Ordinal);
            Assert.Contains("ssh.connect jump host", traces, StringComparison.Ordinal);
            Assert.Contains("ssh.connect device", traces, StringComparison.Ordinal);
            Assert.Contains("\"IncidentId\":\"" + id + "\"", host.Log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnreachableVault_HostStartsDegraded_ReadyzNamesTheSecrets_LogSaysSoOnce_DiagnosisFailsClearly()
    {
        await using var lab = await TestLab.StartAsync("healthy");
        var closed = ClosedPort();
        var settings = new Dictionary<string, string>
        {
            ["NetOps__Secrets__Provider"] = "KeyVault",
            ["NetOps__Secrets__KeyVault__VaultUri"] = $"https://127.0.0.1:{closed}/",
            ["NetOps__Secrets__KeyVault__MaxRetries"] = "0",
            ["NetOps__Secrets__KeyVault__RetrySeconds"] = "1",
            ["IDENTITY_ENDPOINT"] = $"http://127.0.0.1:{closed}/msi/token",
            ["IDENTITY_HEADER"] = "h",
            ["AZURE_TOKEN_CREDENTIALS"] = "ManagedIdentityCredential",
        };
        await using var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, settings);
        using var http = host.Client();
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));

        JsonElement body = default;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var response = await http.GetAsync("/readyz");
            body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("secrets").GetProperty("status").GetString() == "degraded")
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                break;
            }

            await Task.Delay(200);
        }

        var secrets = body.GetProperty("secrets");
        Assert.Equal("degraded", secrets.GetProperty("status").GetString());
        var unreadable = secrets.GetProperty("unreadable").EnumerateArray().ToDictionary(u => u.GetProperty("name").GetString()!, u => u.GetProperty("reason").GetString()!);
        Assert.Equal("network: ConnectionRefused", unreadable["device-lab-device"]);
        Assert.Equal("network: ConnectionRefused", unreadable["jumphost-lab-jump-key"]);
        Assert.Equal("ok", body.GetProperty("storage").GetString());

        // A few re-checks later the log still names each secret once.
        await Task.Delay(2500);
        Assert.Equal(1, Count(host.Log, "could not read secret 'device-lab-device'"));
        Assert.Equal(1, Count(host.Log, "could not read secret 'jumphost-lab-jump-key'"));
        Assert.Contains("DEGRADED", host.Log, StringComparison.Ordinal);

        // The work that needs the secrets fails with a message naming the secret, and the host keeps serving.
        var started = await (await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-12", clientMessageId = "deg-1" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = started.GetProperty("incidentId").GetString()!;
        var done = await IncidentPolling.WaitAsync(http, id, i => i.GetProperty("state").GetString() is "Diagnosed" or "Failed", TimeSpan.FromSeconds(60));
        Assert.Contains("jumphost-lab-jump-key", done.ToString(), StringComparison.Ordinal);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static async Task<JsonElement> WaitForReadyAsync(HttpClient http)
    {
        var sw = Stopwatch.StartNew();
        JsonElement last = default;
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await http.GetAsync("/readyz");
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.IsSuccessStatusCode)
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("host never ready: " + last);
    }

    /// <summary>The SQLite database with its WAL, as text (Latin-1 keeps every byte, so an ASCII secret is found as is).</summary>
    private static string DatabaseText(string database)
    {
        var sb = new StringBuilder();
        foreach (var file in new[] { database, database + "-wal" })
        {
            if (File.Exists(file))
            {
                sb.Append(Encoding.Latin1.GetString(File.ReadAllBytes(file)));
            }
        }

        Assert.True(sb.Length > 0, "no database file at " + database);
        return sb.ToString();
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {stderr}");
    }

    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
