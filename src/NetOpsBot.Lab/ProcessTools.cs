using System.Diagnostics;
using System.Globalization;

namespace NetOpsBot.Lab;

/// <summary>Small, explicit wrappers for the system tools the lab drives (ssh-keygen, useradd, sshd).</summary>
internal static class ProcessTools
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? stdin = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            p.StandardInput.Close();
        }

        var outTask = p.StandardOutput.ReadToEndAsync(ct);
        var errTask = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        return new Result(p.ExitCode, await outTask.ConfigureAwait(false), await errTask.ConfigureAwait(false));
    }

    public static async Task RunCheckedAsync(string file, IEnumerable<string> args, string? stdin = null, CancellationToken ct = default)
    {
        var list = args.ToList();
        var r = await RunAsync(file, list, stdin, ct).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            throw new LabException($"{Path.GetFileName(file)} {string.Join(' ', list.Take(2))} failed ({r.ExitCode}): {r.StdErr.Trim()}");
        }
    }

    public static string? Which(string name, params string[] extraDirs)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(extraDirs))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static bool IsAlive(int pid)
    {
        // A zombie still has a /proc entry; it is not a running lab process.
        var stat = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "stat");
        try
        {
            var text = File.ReadAllText(stat);
            var close = text.LastIndexOf(')');
            return close > 0 && close + 2 < text.Length && text[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>All live descendants of <paramref name="pid"/>, found by walking /proc parent links.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = text.LastIndexOf(')');
                var fields = text[(close + 2)..].Split(' ');
                parents[child] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
            catch (FormatException)
            {
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.Count > 0)
        {
            var p = frontier.Dequeue();
            foreach (var (child, parent) in parents)
            {
                if (parent == p)
                {
                    result.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }

        return result;
    }

    public static void Signal(int pid, bool force) => _ = Kill(pid, force ? 9 : 15);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // libc is resolved by the runtime's default probing on Linux
    private static extern int Kill(int pid, int signal);
#pragma warning restore CA5392, SYSLIB1054

    /// <summary>Stops a process and everything it started; sshd's per-connection children outlive their listener otherwise.</summary>
    public static void KillTree(int pid)
    {
        var all = Descendants(pid).Append(pid).ToList();
        foreach (var p in all)
        {
            Signal(p, force: false);
        }

        var deadline = Environment.TickCount64 + 2000;
        while (all.Any(IsAlive) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(20);
        }

        foreach (var p in all.Where(IsAlive))
        {
            Signal(p, force: true);
        }
    }
}

/// <summary>The lab cannot start or stop as asked; the message says what to do.</summary>
public sealed class LabException(string message, Exception? inner = null) : Exception(message, inner);
