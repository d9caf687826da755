using System.Globalization;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// Puts the lab (its controller, every switch's <c>sshd</c>, and through inheritance every login they fork)
/// into a CPU cgroup of its own with a given weight.
/// Why: the lab's processes stand in for switches, which have CPUs of their own, yet here they share the
/// bot's two cores. With the kernel's autogroup scheduling (on by default on this machine kind) it is
/// worse than sharing: <c>sshd</c> calls <c>setsid</c> for every connection and again for every PTY, so
/// each live switch session is an autogroup with the same CPU weight as the whole bot process. With many
/// sessions busy at once the bot got a small share of the two cores, and the tail of the figure measured
/// how many logins happened to overlap the burst. Processes in a cgroup other than the root are not
/// autogrouped, so the lab competes as one group with the weight given here.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class LabCpuGroup : IDisposable
{
    private readonly string _dir;
    private readonly string _parentProcs;

    private LabCpuGroup(string dir, string parentProcs, string description)
    {
        _dir = dir;
        _parentProcs = parentProcs;
        Description = description;
    }

    public string Description { get; }

    /// <summary>
    /// Moves every process of the lab's session (the controller is a session leader: <c>lab up --detach</c>
    /// runs it under <c>setsid</c>) into a new group. Null, with the reason, when this machine does not let us
    /// (no cgroup cpu controller, or not root): the caller reports the figure as measured with the lab unweighted.
    /// </summary>
    /// <param name="weight">Relative to the bot's 100 (cgroup v2 units; v1 shares are scaled by 10.24).</param>
    public static LabCpuGroup? TryCreate(int labSession, int weight, out string why)
    {
        string dir, parentProcs, file, value;
        if (File.Exists("/sys/fs/cgroup/cpu/cpu.shares"))
        {
            dir = "/sys/fs/cgroup/cpu/netopsbot-bench-lab-" + labSession.ToString(CultureInfo.InvariantCulture);
            parentProcs = "/sys/fs/cgroup/cpu/cgroup.procs";
            file = "cpu.shares";
            value = Math.Max(2, (int)Math.Round(weight * 10.24)).ToString(CultureInfo.InvariantCulture);
        }
        else if (File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("cpu"))
        {
            dir = "/sys/fs/cgroup/netopsbot-bench-lab-" + labSession.ToString(CultureInfo.InvariantCulture);
            parentProcs = "/sys/fs/cgroup/cgroup.procs";
            file = "cpu.weight";
            value = Math.Clamp(weight, 1, 10000).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            why = "no cgroup cpu controller here";
            return null;
        }

        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, file), value);
            var moved = 0;
            foreach (var pid in SessionMembers(labSession))
            {
                try
                {
                    File.WriteAllText(Path.Combine(dir, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                    moved++;
                }
                catch (IOException)
                {
                    // Exited between the listing and the move.
                }
            }

            why = string.Empty;
            return new LabCpuGroup(dir, parentProcs, $"lab in its own CPU cgroup, {file}={value} ({moved} processes moved, forks inherit it)");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            why = "cannot create a CPU cgroup here (" + e.Message + ")";
            TryRemove(dir);
            return null;
        }
    }

    private static IEnumerable<int> SessionMembers(int session)
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(proc, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // Fields after the parenthesised command name: state ppid pgrp session ...
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 3 && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var sid) && sid == session)
            {
                yield return pid;
            }
        }
    }

    /// <summary>After <c>lab down</c>: anything left goes back to the root group, then the group is removed.</summary>
    public void Dispose()
    {
        try
        {
            foreach (var line in File.ReadAllLines(Path.Combine(_dir, "cgroup.procs")))
            {
                try
                {
                    File.WriteAllText(_parentProcs, line);
                }
                catch (IOException)
                {
                }
            }
        }
        catch (IOException)
        {
        }

        TryRemove(_dir);
    }

    private static void TryRemove(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir);
            }
        }
        catch (IOException)
        {
        }
    }
}
