using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NetOpsBot.Ssh;
using NetOpsBot.Platforms;

namespace NetOpsBot.Cli;

/// <summary>
/// `netopsbot diag &lt;device&gt;`: runs the ssh-unreachable runbook over real SSH through the jump host and prints
/// the step report live (terminal) or the machine-readable report (--json).
/// </summary>
internal static class DiagCommand
{
    /// <summary>The runbook diag runs: the default one, whose runner <see cref="KnownRunbooks.Create"/> takes.</summary>
    private static NetOpsBot.Core.Runbooks.RunbookDefinition Runbook => KnownRunbooks.Definitions[0];

    /// <summary>Exit code for input the user must fix (bad name, unknown device, missing files); nothing was contacted.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a failure of the bot itself (not of the device: those are findings, exit 0).</summary>
    public const int InternalError = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Device output is echoed back as data; keep it readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // The lab's file names (LabLayout); repeated here so `diag` stays usable where the lab cannot run.
    private static string DefaultLabDirectory =>
        Environment.GetEnvironmentVariable("NETOPSBOT_LAB_DIR") is { Length: > 0 } dir ? dir : "/tmp/netopsbot-lab";

    public static Command Build()
    {
        var device = new Argument<string>("device") { Description = "Inventory name of the device, e.g. sw-access-12." };
        var json = new Option<bool>("--json") { Description = "Print the machine-readable report (JSON) instead of live progress." };
        var inventory = new Option<string?>("--inventory") { Description = "Inventory JSON (default: <lab-dir>/inventory.json)." };
        var knownHosts = new Option<string?>("--known-hosts") { Description = "known_hosts with the pinned keys (default: <lab-dir>/known_hosts)." };
        var credentials = new Option<string?>("--credentials") { Description = "Credentials JSON, mode 0600 (default: <lab-dir>/credentials.json)." };
        var labDir = new Option<string>("--lab-dir") { Description = "Lab run directory the defaults come from ($NETOPSBOT_LAB_DIR or /tmp/netopsbot-lab).", DefaultValueFactory = _ => DefaultLabDirectory };
        var debugWindow = new Option<double?>("--debug-window") { Description = "Seconds of SSH debug capture during the connection attempt (default: NetOps:Diagnosis:DebugWindowSeconds, 3)." };
        var config = new Option<string?>("--config") { Description = "The host's appsettings JSON: diag then reads the same NetOps options as the host (NetOps__* environment variables apply too)." };

        var diag = new Command("diag", $"Run the {Runbook.Id} runbook ({Runbook.Command} in chat): {Runbook.Purpose}.")
        {
            device, json, inventory, knownHosts, credentials, labDir, debugWindow, config,
        };
        diag.SetAction((result, ct) =>
        {
            var dir = result.GetValue(labDir)!;
            var configFile = result.GetValue(config);
            // A flag wins, then the key the host would read (its appsettings, NetOps__* variables), then the lab's file.
            var configured = configFile is not null && File.Exists(configFile) ? Configuration(configFile, new Dictionary<string, string?>()) : Configuration(null, new Dictionary<string, string?>());
            string PathOf(Option<string?> flag, string key, string labFile) =>
                result.GetValue(flag) ?? (configured["NetOps:" + key] is { Length: > 0 } value ? value : Path.Combine(dir, labFile));
            var request = new DiagRequest(
                result.GetValue(device) ?? string.Empty,
                result.GetValue(json),
                PathOf(inventory, "InventoryPath", "inventory.json"),
                PathOf(knownHosts, "KnownHostsPath", "known_hosts"),
                PathOf(credentials, "CredentialsPath", "credentials.json"),
                result.GetValue(debugWindow),
                configFile);
            return RunAsync(request, ct);
        });
        return diag;
    }

    private static async Task<int> RunAsync(DiagRequest request, CancellationToken ct)
    {
        // Validate before reading any file or opening any socket: the name may come straight from chat.
        if (!DeviceName.TryParse(request.Device, out var name, out var reason))
        {
            return await FailAsync(BadInput, $"diag: invalid device name: {reason}; nothing was contacted.").ConfigureAwait(false);
        }

        if (request.DebugWindowSeconds is < 0 or > 60 || (request.DebugWindowSeconds is { } window && double.IsNaN(window)))
        {
            return await FailAsync(BadInput, "diag: --debug-window must be between 0 and 60 seconds.").ConfigureAwait(false);
        }

        foreach (var (what, path) in new[] { ("inventory", request.Inventory), ("known_hosts", request.KnownHosts), ("credentials", request.Credentials) })
        {
            if (!File.Exists(path))
            {
                return await FailAsync(BadInput, $"diag: {what} file {path} not found (is the lab up? `netopsbot lab up --scenario seed-case --detach`, or pass --{(what == "known_hosts" ? "known-hosts" : what)}).").ConfigureAwait(false);
            }
        }

        if (request.ConfigFile is { } configFile && !File.Exists(configFile))
        {
            return await FailAsync(BadInput, $"diag: --config file {configFile} not found.").ConfigureAwait(false);
        }

        await using var services = Compose(Configuration(request));
        InventoryFile inventory;
        try
        {
            // The same start-up check as the host's: a bad option is named here, before anything is contacted.
            services.GetRequiredService<IStartupValidator>().Validate();
            inventory = services.GetRequiredService<InventoryFile>();
        }
        catch (OptionsValidationException ex)
        {
            return await FailAsync(BadInput, "diag: " + string.Join("; ", ex.Failures) + "; nothing was contacted.").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return await FailAsync(BadInput, $"diag: cannot read inventory {request.Inventory}: {ex.Message}").ConfigureAwait(false);
        }

        var target = await inventory.FindAsync(name, ct).ConfigureAwait(false);
        if (target is null)
        {
            return await FailAsync(BadInput, $"diag: device '{name}' is not in the inventory {request.Inventory}; nothing was contacted.").ConfigureAwait(false);
        }

        try
        {
            var runner = services.GetRequiredService<IDiagnosisRunner>();
            if (request.Json)
            {
                var report = await runner.RunAsync(target, observer: null, ct).ConfigureAwait(false);
                Console.WriteLine(JsonSerializer.Serialize(ToJson(report), Json));
            }
            else
            {
                var via = target.JumpHostName is { } j && inventory.JumpHosts.TryGetValue(j, out var jump) ? $" via jump host {jump.Name} ({jump.Address}:{jump.Port.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
                Console.WriteLine($"Diagnosing {name} ({target.ManagementIp}, ssh port {target.SshPort.ToString(CultureInfo.InvariantCulture)}){via}; runbook {Runbook.Id}");
                var report = await runner.RunAsync(target, new TerminalProgress(), ct).ConfigureAwait(false);
                PrintVerdict(report);
            }

            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("diag: cancelled.").ConfigureAwait(false);
            return InternalError;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: any bug becomes a clear message and exit 1, not a stack dump.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await FailAsync(InternalError, $"diag: internal error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The host's configuration sources in the host's order (its appsettings file, then NetOps__* environment
    /// variables), then this command's flags: diag reads the management subnet, jump host address and timeouts
    /// from the same NetOps:Diagnosis keys as the host, never from the inventory.
    /// </summary>
    internal static IConfiguration Configuration(string? configFile, IReadOnlyDictionary<string, string?> flags)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        return builder.AddEnvironmentVariables().AddInMemoryCollection(flags).Build();
    }

    /// <summary>The registrations the host makes for device access and diagnosis (AddNetOpsSsh, AddNetOpsPlatforms).</summary>
    internal static ServiceProvider Compose(IConfiguration configuration) =>
        new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddNetOpsSsh(configuration)
            .AddNetOpsPlatforms(configuration)
            .BuildServiceProvider();

    private static IConfiguration Configuration(DiagRequest request)
    {
        var flags = new Dictionary<string, string?>
        {
            ["NetOps:InventoryPath"] = request.Inventory,
            ["NetOps:KnownHostsPath"] = request.KnownHosts,
            ["NetOps:CredentialsPath"] = request.Credentials,
        };
        if (request.DebugWindowSeconds is { } window)
        {
            flags[DiagnosisOptions.SectionName + ":DebugWindowSeconds"] = window.ToString(CultureInfo.InvariantCulture);
        }

        return Configuration(request.ConfigFile, flags);
    }

    private static async Task<int> FailAsync(int code, string message)
    {
        await Console.Error.WriteLineAsync(message).ConfigureAwait(false);
        return code;
    }

    private static object ToJson(DiagnosisReport report) => new
    {
        device = report.Device.Name.Value,
        startedAt = report.StartedAt,
        durationMs = Ms(report.Duration),
        steps = report.Steps.Select(s => new
        {
            id = s.StepId,
            title = s.Title,
            status = Status(s.Status),
            finding = s.Finding,
            evidence = s.Evidence,
            commands = s.Commands,
            durationMs = Ms(s.Duration),
            attempts = s.Attempts,
            rawOutput = s.RawOutput,
        }),
        rootCauses = report.RootCauses.Select(r => new
        {
            code = r.Cause.Code,
            title = r.Cause.Title,
            ruleId = r.RuleId,
            confidence = r.Confidence.ToString().ToLowerInvariant(),
            explanation = r.Cause.Explanation,
            evidence = r.Evidence,
        }),
        remediations = report.Remediations.Select(p => new
        {
            id = p.Id,
            rootCause = p.RootCause.Code,
            title = p.Title,
            kind = p.Kind.ToString().ToLowerInvariant(),
            commands = p.Commands.Select(c => c.Text),
            requiresApproval = p.RequiresApproval,
            approversRequired = p.ApproversRequired,
            notes = p.Notes,
        }),
    };

    private static void PrintVerdict(DiagnosisReport report)
    {
        Console.WriteLine();
        Console.WriteLine($"Verdict for {report.Device.Name} after {(report.Duration.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)} s:");
        if (report.RootCauses.Count == 0)
        {
            Console.WriteLine("  root cause undetermined: no rule matched; see the steps above.");
        }

        foreach (var cause in report.RootCauses)
        {
            Console.WriteLine($"  [{cause.Cause.Code}] {cause.Cause.Title} (rule {cause.RuleId}, {cause.Confidence.ToString().ToLowerInvariant()} confidence)");
            foreach (var line in cause.Evidence)
            {
                Console.WriteLine("      | " + line);
            }
        }

        if (report.Remediations.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("Remediation plans (nothing has been changed on the device):");
        foreach (var plan in report.Remediations)
        {
            var approval = plan.RequiresApproval
                ? $"needs approval by {plan.ApproversRequired.ToString(CultureInfo.InvariantCulture)} approver{(plan.ApproversRequired == 1 ? string.Empty : "s")} other than the requester"
                : "no approval needed";
            Console.WriteLine($"  {plan.Id}: {plan.Title} [{plan.Kind.ToString().ToLowerInvariant()} for {plan.RootCause.Code}; {approval}]");
            foreach (var command in plan.Commands)
            {
                Console.WriteLine("      > " + command.Text);
            }

            foreach (var note in plan.Notes)
            {
                Console.WriteLine("      note: " + note);
            }
        }
    }

    private static string Status(StepStatus status) => status.ToString().ToLowerInvariant();

    private static long Ms(TimeSpan t) => (long)Math.Round(t.TotalMilliseconds);

    private sealed record DiagRequest(string Device, bool Json, string Inventory, string KnownHosts, string Credentials, double? DebugWindowSeconds, string? ConfigFile);

    /// <summary>Live progress: steps report from concurrent tasks (the gateway runs beside the device steps), so writes are serialized.</summary>
    private sealed class TerminalProgress : IDiagnosisObserver
    {
        private readonly Lock _gate = new();

        public void StepStarted(string stepId, string title)
        {
            lock (_gate)
            {
                Console.WriteLine($"  ...   {stepId,-10} {title}");
            }
        }

        public void StepFinished(StepResult result)
        {
            lock (_gate)
            {
                var tag = result.Status switch
                {
                    StepStatus.Ok => "OK  ",
                    StepStatus.Warn => "WARN",
                    StepStatus.Fail => "FAIL",
                    StepStatus.Skipped => "SKIP",
                    _ => "ERR ",
                };
                Console.WriteLine($"  {tag}  {result.StepId,-10} {result.Finding} ({Ms(result.Duration).ToString(CultureInfo.InvariantCulture)} ms)");
                foreach (var line in result.Evidence)
                {
                    Console.WriteLine("              | " + line);
                }
            }
        }
    }
}
