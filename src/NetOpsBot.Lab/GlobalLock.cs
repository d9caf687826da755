namespace NetOpsBot.Lab;

/// <summary>Serialises account changes between labs on one machine (useradd and chpasswd are not concurrent-safe).</summary>
internal static class GlobalLock
{
    private const string LockPath = "/run/netopsbot-lab.lock";

    public static async Task<IDisposable> AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(25, ct).ConfigureAwait(false);
            }
        }
    }
}
