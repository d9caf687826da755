using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The real monitoring stack from Debian's packages, on loopback ports: the blackbox exporter probes each lab
/// switch's SSH at the address the lab's inventory dials (its <c>ssh_banner</c> module), Prometheus evaluates an
/// <c>SSHDown</c> rule, Alertmanager notifies the host's receiver with a bearer token. Intervals are seconds, so a
/// test sees in seconds what production sees in minutes.
/// </summary>
internal sealed class MonitoringStack : IAsyncDisposable
{
    public const string Prometheus = "/usr/bin/prometheus";
    public const string Alertmanager = "/usr/bin/prometheus-alertmanager";
    public const string Blackbox = "/usr/bin/prometheus-blackbox-exporter";

    private readonly List<Process> _processes = [];
    private readonly StringBuilder _log = new();
    private readonly string _dir;

    private MonitoringStack(string dir) => _dir = dir;

    public int PrometheusPort { get; private set; }

    public int AlertmanagerPort { get; private set; }

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

    /// <summary>Every switch of the lab's inventory as "dial address:ssh port": where the bot (and so monitoring) reaches it.</summary>
    public static IReadOnlyList<string> SshTargets(string labRunDirectory)
    {
        using var inventory = JsonDocument.Parse(File.ReadAllText(Path.Combine(labRunDirectory, "inventory.json")));
        return [.. inventory.RootElement.GetProperty("devices").EnumerateArray()
            .Select(d => $"{d.GetProperty("managementAddress").GetString()}:{d.GetProperty("sshPort").GetInt32()}")];
    }

    /// <param name="webhook">The host's Alertmanager receiver URL.</param>
    /// <param name="repeatSeconds">Alertmanager's repeat_interval: how often a still-firing alert is notified again.</param>
    /// <param name="probeFrom">Where the blackbox exporter runs: a command prefix entering the management subnet and its
    /// address there (the namespaced lab); null runs it on this namespace's loopback.</param>
    public static async Task<MonitoringStack> StartAsync(IReadOnlyList<string> targets, Uri webhook, string bearerToken, int repeatSeconds = 4, (IReadOnlyList<string> Enter, string Address)? probeFrom = null)
    {
        var blackboxHost = probeFrom?.Address ?? "127.0.0.1";
        var dir = Directory.CreateTempSubdirectory("netopsbot-monitoring-").FullName;
        var stack = new MonitoringStack(dir);
        try
        {
            var blackboxPort = HostProcess.FreePort();
            stack.AlertmanagerPort = HostProcess.FreePort();
            stack.PrometheusPort = HostProcess.FreePort();

            File.WriteAllText(Path.Combine(dir, "blackbox.yml"), """
                modules:
                  ssh_banner:
                    prober: tcp
                    timeout: 1s
                    tcp:
                      preferred_ip_protocol: ip4
                      query_response:
                        - expect: "^SSH-2.0-"
                        - send: "SSH-2.0-blackbox-ssh-check"
                """);
            File.WriteAllText(Path.Combine(dir, "alertmanager.yml"), $$"""
                route:
                  receiver: netopsbot
                  group_by: [alertname, instance]
                  group_wait: 1s
                  group_interval: 2s
                  repeat_interval: {{repeatSeconds}}s
                receivers:
                  - name: netopsbot
                    webhook_configs:
                      - url: "{{webhook.AbsoluteUri}}"
                        send_resolved: true
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: "{{bearerToken}}"
                """);
            File.WriteAllText(Path.Combine(dir, "rules.yml"), """
                groups:
                  - name: netops
                    interval: 1s
                    rules:
                      - alert: SSHDown
                        expr: probe_success{job="blackbox-ssh"} == 0
                        for: 2s
                        labels:
                          severity: page
                        annotations:
                          summary: SSH banner probe failed
                """);
            File.WriteAllText(Path.Combine(dir, "prometheus.yml"), $$"""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["127.0.0.1:{{stack.AlertmanagerPort}}"]
                scrape_configs:
                  - job_name: blackbox-ssh
                    metrics_path: /probe
                    params:
                      module: [ssh_banner]
                    static_configs:
                      - targets: [{{string.Join(", ", targets.Select(t => "\"" + t + "\""))}}]
                    relabel_configs:
                      - source_labels: [__address__]
                        target_label: __param_target
                      - source_labels: [__param_target]
                        target_label: instance
                      - target_label: module
                        replacement: ssh_banner
                      - target_label: __address__
                        replacement: "{{blackboxHost}}:{{blackboxPort}}"
                """);

            string[] blackbox = [Blackbox, $"--config.file={dir}/blackbox.yml", $"--web.listen-address={blackboxHost}:{blackboxPort}"];
            blackbox = [.. probeFrom?.Enter ?? [], .. blackbox];
            stack.Run(blackbox[0], blackbox[1..]);
            stack.Run(Alertmanager, $"--config.file={dir}/alertmanager.yml", $"--storage.path={dir}/am", $"--web.listen-address=127.0.0.1:{stack.AlertmanagerPort}", "--cluster.listen-address=");
            stack.Run(Prometheus, $"--config.file={dir}/prometheus.yml", $"--storage.tsdb.path={dir}/tsdb", $"--web.listen-address=127.0.0.1:{stack.PrometheusPort}", $"--web.external-url=http://127.0.0.1:{stack.PrometheusPort}/");
            await stack.WaitReadyAsync($"http://{blackboxHost}:{blackboxPort}/metrics");
            await stack.WaitReadyAsync($"http://127.0.0.1:{stack.AlertmanagerPort}/-/ready");
            await stack.WaitReadyAsync($"http://127.0.0.1:{stack.PrometheusPort}/-/ready");
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        var p = Process.Start(psi)!;
        var name = Path.GetFileName(file);
        p.OutputDataReceived += (_, e) => Append(name, e.Data);
        p.ErrorDataReceived += (_, e) => Append(name, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
    }

    private void Append(string name, string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Append(name).Append(": ").AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = Environment.TickCount64 + 20_000;
        while (Environment.TickCount64 < until)
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"{dead.StartInfo.FileName} exited ({dead.ExitCode}):\n{Log}");
            }

            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{url} never became ready:\n{Log}");
    }

    /// <summary>The alerts Alertmanager holds now (its v2 API), as JSON.</summary>
    public async Task<JsonElement> AlertmanagerAlertsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{AlertmanagerPort}/api/v2/alerts"))).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
