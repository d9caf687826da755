using System.Collections;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using NetOpsBot.Testing;
using YamlDotNet.RepresentationModel;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The deployment files cannot silently rot: the compose file and the Bicep set only configuration keys the host
/// binds, the image runs as a non-root user with a health check, the Bicep compiles and lints clean with the
/// Bicep CLI from NuGet, and the bastion's sshd_config is valid and as strict as the lab's jump host.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Infra = Path.Combine(RepoPaths.Root, "infra");

    /// <summary>Variables that are not NetOps configuration but are read by ASP.NET Core, .NET or Azure.Identity.</summary>
    private static readonly HashSet<string> PlatformVariables = new(StringComparer.Ordinal) { "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS", "AZURE_CLIENT_ID", "DOTNET_gcServer" };

    [Fact]
    public void ComposeAndBicep_SetOnlyKeysTheHostBinds()
    {
        var known = HostConfigurationKeys.Load();
        var compose = ComposeFile.HostEnvironment().Keys.ToList();
        var bicep = BicepEnvNames().ToList();
        var dockerfile = DockerfileEnvNames().ToList();
        Assert.Contains("NetOps__Storage__ConnectionString", compose);
        Assert.Contains("NetOps__Secrets__KeyVault__VaultUri", bicep);
        Assert.Contains("Teams__AppId", bicep);
        foreach (var name in compose.Concat(bicep).Concat(dockerfile).Where(n => !PlatformVariables.Contains(n)))
        {
            Assert.True(known.Accepts(name.Replace("__", ":", StringComparison.Ordinal)), $"{name} is not a configuration key the host reads");
        }

        // And the check itself tells a typo from a real key.
        Assert.False(known.Accepts("NetOps:Storage:ConectionString"));
        Assert.False(known.Accepts("NetOps:Secrets:KeyVault:VaultUrl"));
        Assert.True(known.Accepts("NetOps:Approvals:Approvers:teams:0"));
    }

    [Fact]
    public void Compose_TwoReplicasOnOnePostgres_NonRootImage_HealthChecked()
    {
        var root = ComposeFile.Load();
        var services = root.Map("services");
        var hosts = services.Children.Where(kv => ((YamlScalarNode)kv.Key).Value!.StartsWith("host-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, hosts.Count);
        Assert.Contains(new YamlScalarNode("postgres"), services.Children.Keys);
        Assert.Equal("Postgres", ComposeFile.HostEnvironment()["NetOps__Storage__Provider"]);
        Assert.Contains("Host=postgres;", ComposeFile.HostEnvironment()["NetOps__Storage__ConnectionString"], StringComparison.Ordinal);
        var text = File.ReadAllText(ComposeFile.Path());
        Assert.Contains("<<: *host", text, StringComparison.Ordinal);
        Assert.Matches(@"condition: service_healthy", text);
        Assert.DoesNotMatch(@"(?m)^\s+user:\s*""?(root|0)", text);
        Assert.True(File.Exists(ComposeFile.Path("compose.lab.yaml")));

        // Demo users on the container network: only with Development, and every published port on the machine's loopback.
        var env = ComposeFile.HostEnvironment();
        if (env.TryGetValue("NetOps__WebChat__AllowDemoUsersOnContainerNetwork", out var demo) && demo == "true")
        {
            Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);
        }

        foreach (var file in new[] { "compose.yaml", "compose.lab.yaml" })
        {
            foreach (Match port in Regex.Matches(File.ReadAllText(ComposeFile.Path(file)), @"(?m)^\s*-\s*""([^""]*:\d+:\d+)""\s*$"))
            {
                Assert.StartsWith("127.0.0.1:", port.Groups[1].Value, StringComparison.Ordinal);
            }
        }

        Assert.Equal(2, ComposeFile.Load("compose.lab.yaml").Map("services").Children.Keys.Count(k => ((YamlScalarNode)k).Value!.StartsWith("host-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dockerfile_MultiStage_NonRootFinalStage_HealthCheckRunsTheHostProbe_WebChatAssetsBuilt()
    {
        var lines = File.ReadAllLines(Path.Combine(Infra, "docker", "Dockerfile"));
        var stages = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", stages[0].l, StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1].l, StringComparison.Ordinal);
        var final = lines.Skip(stages[1].i).ToList();
        var user = Assert.Single(final, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"^USER\s+(root|0)(\s|:|$)", user);
        Assert.Contains("HEALTHCHECK", string.Join('\n', final), StringComparison.Ordinal);
        Assert.Contains("\"--healthcheck\"]", string.Join('\n', final), StringComparison.Ordinal);
        // USER comes before ENTRYPOINT: the host never starts as root.
        Assert.True(final.FindIndex(l => l.StartsWith("USER ", StringComparison.Ordinal)) < final.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        var build = string.Join('\n', lines.Take(stages[1].i));
        Assert.Contains("nodejs npm", build, StringComparison.Ordinal);
        Assert.Contains("wwwroot/lib/adaptivecards.min.js", build, StringComparison.Ordinal);
        // The build context filter keeps local build output and node_modules out.
        // The image never serves demo users: web chat off, not Development, no container-network override.
        var image = string.Join('\n', final);
        Assert.Contains("NetOps__WebChat__Enabled=false", image, StringComparison.Ordinal);
        Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", image, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowDemoUsersOnContainerNetwork", image, StringComparison.Ordinal);
        var ignore = File.ReadAllText(Path.Combine(Infra, "docker", "Dockerfile.dockerignore"));
        Assert.Contains("src/**/node_modules/", ignore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bicep_BuildsAndLintsWithoutAnyDiagnostic()
    {
        var bicep = typeof(DeploymentFilesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        Assert.True(File.Exists(bicep), "Bicep CLI not restored at " + bicep);
        var main = Path.Combine(Infra, "azure", "main.bicep");
        var output = Path.Combine(Path.GetTempPath(), "netopsbot-bicep-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (code, stdout, stderr) = await RunAsync(bicep, "build", main, "--outfile", output);
            Assert.True(code == 0 && stderr.Trim().Length == 0, $"bicep build: exit {code}\n{stdout}\n{stderr}");
            var template = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(output)).RootElement;
            var resources = template.GetProperty("resources");
            var types = (resources.ValueKind == System.Text.Json.JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value))
                .Select(r => r.GetProperty("type").GetString()).ToHashSet();
            foreach (var type in new[] { "Microsoft.App/containerApps", "Microsoft.App/managedEnvironments", "Microsoft.BotService/botServices", "Microsoft.BotService/botServices/channels", "Microsoft.DBforPostgreSQL/flexibleServers", "Microsoft.KeyVault/vaults", "Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.OperationalInsights/workspaces" })
            {
                Assert.Contains(type, types);
            }

            (code, stdout, stderr) = await RunAsync(bicep, "lint", main);
            Assert.True(code == 0 && stderr.Trim().Length == 0 && stdout.Trim().Length == 0, $"bicep lint: exit {code}\n{stdout}\n{stderr}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>
    /// Issue 13 item 8: the database has no public endpoint and no firewall rule, takes Entra logins only, the host
    /// logs in as its managed identity (not the server admin, no password) and verifies the server (VerifyFull).
    /// </summary>
    [Fact]
    public async Task Bicep_Postgres_PrivateAccess_EntraOnly_HostIsNotAdmin_VerifyFull()
    {
        var bicep = typeof(DeploymentFilesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        var output = Path.Combine(Path.GetTempPath(), "netopsbot-bicep-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (code, stdout, stderr) = await RunAsync(bicep, "build", Path.Combine(Infra, "azure", "main.bicep"), "--outfile", output);
            Assert.True(code == 0, $"bicep build: exit {code}\n{stdout}\n{stderr}");
            using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var root = document.RootElement;
            var resources = root.GetProperty("resources");
            var all = (resources.ValueKind == System.Text.Json.JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value)).ToList();
            string Type(System.Text.Json.JsonElement r) => r.GetProperty("type").GetString()!;

            Assert.DoesNotContain(all, r => Type(r) == "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules");
            Assert.Contains(all, r => Type(r) == "Microsoft.Network/privateDnsZones");
            Assert.Contains(all, r => Type(r) == "Microsoft.Network/privateDnsZones/virtualNetworkLinks");
            var server = Assert.Single(all, r => Type(r) == "Microsoft.DBforPostgreSQL/flexibleServers").GetProperty("properties");
            var network = server.GetProperty("network");
            Assert.Equal("Disabled", network.GetProperty("publicNetworkAccess").GetString());
            Assert.Contains("postgresSubnetId", network.GetProperty("delegatedSubnetResourceId").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("[", network.GetProperty("privateDnsZoneArmResourceId").GetString(), StringComparison.Ordinal);
            Assert.Equal("Enabled", server.GetProperty("authConfig").GetProperty("activeDirectoryAuth").GetString());
            Assert.Equal("Disabled", server.GetProperty("authConfig").GetProperty("passwordAuth").GetString());
            Assert.False(server.TryGetProperty("administratorLoginPassword", out _));
            Assert.Contains(all, r => Type(r) == "Microsoft.DBforPostgreSQL/flexibleServers/administrators");
            Assert.False(root.GetProperty("parameters").TryGetProperty("postgresAdminPassword", out _));

            var text = root.GetRawText();
            // The host's connection string: no password, verified server, user = the managed identity's name.
            var connection = Regex.Match(text, "Host=[^']*").Value;
            Assert.Equal("Host={0};Database=netopsbot;Username={1};SSL Mode=VerifyFull", connection);
            Assert.Matches(@"SSL Mode=VerifyFull', reference\(resourceId\('Microsoft\.DBforPostgreSQL/flexibleServers'.*?\.fullyQualifiedDomainName, format\('\{0\}-id-\{1\}'", text);
            Assert.Single(all, r => Type(r) == "Microsoft.ManagedIdentity/userAssignedIdentities" && r.GetProperty("name").GetString()!.Contains("{0}-id-{1}", StringComparison.Ordinal));
            Assert.Contains("NetOps__Storage__PostgresEntraAuth", BicepEnvNames());
            Assert.DoesNotContain("postgres-connection-string", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }

        // The role script the deployment step runs exists and names what it grants.
        var script = await File.ReadAllTextAsync(Path.Combine(Infra, "azure", "postgres-app-role.sql"));
        Assert.Contains("pgaadauth_create_principal", script, StringComparison.Ordinal);
        Assert.Contains("NOSUPERUSER NOCREATEDB NOCREATEROLE", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JumpHostSshdConfig_IsValid_AndAsStrictAsTheLabsJumpHost()
    {
        var config = Path.Combine(Infra, "jumphost", "sshd_config");
        var key = Path.Combine(Path.GetTempPath(), "netopsbot-hostkey-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, (await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)).Code);
            var (code, _, stderr) = await RunAsync("/usr/sbin/sshd", "-t", "-f", config, "-o", "HostKey=" + key);
            Assert.True(code == 0, "sshd -t: " + stderr);
        }
        finally
        {
            File.Delete(key);
            File.Delete(key + ".pub");
        }

        await using var lab = await TestLab.StartAsync("healthy");
        var labJump = Settings(File.ReadAllText(Path.Combine(lab.RunDirectory, "sshd", "jump.conf")));
        var production = Settings(File.ReadAllText(config));
        foreach (var keyword in new[] { "authenticationmethods", "pubkeyauthentication", "passwordauthentication", "kbdinteractiveauthentication", "permitrootlogin", "permittty", "forcecommand", "maxsessions", "allowtcpforwarding", "allowstreamlocalforwarding", "allowagentforwarding", "x11forwarding", "permittunnel", "gatewayports", "loglevel", "maxstartups" })
        {
            Assert.True(labJump.ContainsKey(keyword), "the lab's jump host no longer sets " + keyword);
            Assert.True(production.TryGetValue(keyword, out var value) && value == labJump[keyword], $"{keyword}: lab '{labJump[keyword]}', infra/jumphost '{(production.TryGetValue(keyword, out var v) ? v : "(unset)")}'");
        }

        Assert.True(production.ContainsKey("permitopen"));
        var authorized = File.ReadAllText(Path.Combine(Infra, "jumphost", "authorized_keys.example"));
        Assert.Contains("restrict,port-forwarding,command=\"/bin/false\"", authorized, StringComparison.Ordinal);
        Assert.Contains("restrict,port-forwarding", File.ReadAllText(Path.Combine(lab.RunDirectory, "jump", "authorized_keys")), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(string sshdConfig) =>
        sshdConfig.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
            .GroupBy(p => p[0].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First().Length > 1 ? g.First()[1] : string.Empty, StringComparer.Ordinal);

    private static IEnumerable<string> BicepEnvNames() =>
        EnvName().Matches(File.ReadAllText(Path.Combine(Infra, "azure", "main.bicep"))).Select(m => m.Groups[1].Value)
            .Where(n => !n.Contains("${", StringComparison.Ordinal))
            .Concat(["NetOps__Approvals__Approvers__teams__0"]);

    private static IEnumerable<string> DockerfileEnvNames() =>
        Regex.Matches(File.ReadAllText(Path.Combine(Infra, "docker", "Dockerfile")), @"(?m)^\s*(?:ENV\s+)?([A-Za-z_][A-Za-z0-9_]*)=").Select(m => m.Groups[1].Value)
            .Where(n => n.Contains("__", StringComparison.Ordinal) || n.StartsWith("ASPNETCORE", StringComparison.Ordinal) || n.StartsWith("DOTNET", StringComparison.Ordinal));

    /// <summary>An env entry of the container: <c>name: 'X'</c> followed by <c>value:</c> or <c>secretRef:</c>.</summary>
    [GeneratedRegex(@"name: '([A-Za-z_][A-Za-z0-9_]*(?:__[A-Za-z0-9_${}]+)*)'\s*\n\s*(?:value|secretRef):")]
    private static partial Regex EnvName();

    internal static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>
/// Every configuration key the host binds, from its own assembly (run from its build folder, like HostProcess):
/// the public settable properties of each options class under its section, plus the few keys read one by one.
/// </summary>
internal sealed class HostConfigurationKeys
{
    private readonly HashSet<string> _leaves = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _open = new(StringComparer.OrdinalIgnoreCase);

    public static HostConfigurationKeys Load()
    {
        var dir = Path.GetDirectoryName(HostProcess.HostDll)!;
        Type T(string assembly, string type) => Assembly.LoadFrom(Path.Combine(dir, assembly + ".dll")).GetType(type, throwOnError: true)!;
        var keys = new HostConfigurationKeys();
        keys.Walk("NetOps", T("NetOpsBot.Host", "NetOpsBot.Host.NetOpsOptions"), 0);
        keys.Walk("NetOps", T("NetOpsBot.Ssh", "NetOpsBot.Ssh.DeviceFilesOptions"), 0);
        keys.Walk("NetOps:Diagnosis", T("NetOpsBot.Platforms", "NetOpsBot.Platforms.DiagnosisOptions"), 0);
        keys.Walk("NetOps:Incidents", T("NetOpsBot.Host", "NetOpsBot.Host.IncidentSettings"), 0);
        keys.Walk("NetOps:Remediation", T("NetOpsBot.Host", "NetOpsBot.Host.RemediationSettings"), 0);
        keys.Walk("NetOps:Storage", T("NetOpsBot.Storage", "NetOpsBot.Storage.StorageOptions"), 0);
        keys.Walk("NetOps:Approvals", T("NetOpsBot.Core", "NetOpsBot.Core.Approvals.ApprovalOptions"), 0);
        keys._open.Add("NetOps:People");
        keys.Walk("NetOps:Telemetry", T("NetOpsBot.Host", "NetOpsBot.Host.TelemetryOptions"), 0);
        keys.Walk("NetOps:Secrets:KeyVault", T("NetOpsBot.Secrets.KeyVault", "NetOpsBot.Secrets.KeyVault.KeyVaultSecretsOptions"), 0);
        keys.Walk("Teams", T("NetOpsBot.Teams", "NetOpsBot.Teams.TeamsOptions"), 0);
        keys.Walk("Slack", T("NetOpsBot.Slack", "NetOpsBot.Slack.SlackOptions"), 0);
        // Read one by one in SecretsSetup.cs.
        keys._leaves.UnionWith(["NetOps:Secrets:Provider"]);
        return keys;
    }

    public bool Accepts(string key) =>
        _leaves.Contains(key) || _open.Any(prefix => key.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase));

    private void Walk(string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = prefix + ":" + property.Name;
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri) || t == typeof(DateTimeOffset))
            {
                _leaves.Add(key);
            }
            else if (typeof(IEnumerable).IsAssignableFrom(t))
            {
                _open.Add(key);
            }
            else if (depth < 4)
            {
                Walk(key, t, depth + 1);
            }
        }
    }
}
