using System.Globalization;

namespace NetOpsBot.Lab;

/// <summary>`lab down`: asks the controller to stop, and cleans up after one that died.</summary>
public static class LabShutdown
{
    public static bool IsAlive(int pid) => ProcessTools.IsAlive(pid);

    public static async Task<string> StopAsync(string runDirectory, CancellationToken ct)
    {
        var run = Path.GetFullPath(runDirectory);
        var pidPath = LabLayout.PidPath(run);
        if (!Directory.Exists(run))
        {
            return $"No lab is running in {run}.";
        }

        if (File.Exists(pidPath) && int.TryParse(File.ReadAllText(pidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ProcessTools.IsAlive(pid))
        {
            ProcessTools.Signal(pid, force: false);
            var deadline = Environment.TickCount64 + 20_000;
            while (ProcessTools.IsAlive(pid) && Environment.TickCount64 < deadline)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }

            if (!ProcessTools.IsAlive(pid) && !Directory.Exists(run))
            {
                return $"Lab in {run} stopped; its processes, keys and files are gone.";
            }

            ProcessTools.KillTree(pid);
        }

        // The controller is gone but left things behind (it was killed): remove them here.
        KillProcessesMentioning(run);
        using (await GlobalLock.AcquireAsync(ct).ConfigureAwait(false))
        {
            await LabHost.UnregisterAsync(run, ct).ConfigureAwait(false);
        }

        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }

        return $"Lab in {run} was not shut down cleanly; its leftover processes and files were removed.";
    }

    private static void KillProcessesMentioning(string run)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(run + "/", StringComparison.Ordinal))
                {
                    ProcessTools.KillTree(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
