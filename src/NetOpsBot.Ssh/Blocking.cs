namespace NetOpsBot.Ssh;

/// <summary>
/// Runs a blocking SSH.NET call (channel open, PTY request, channel close) on a dedicated thread. Those calls
/// wait on wait handles for network round trips; on a thread-pool thread each would take a worker away from
/// every async continuation in the process (2 cores = 2 workers before slow injection).
/// </summary>
internal static class Blocking
{
    public static Task<T> RunAsync<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    public static Task RunAsync(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    private static int s_reserved;

    /// <summary>
    /// SSH.NET's <c>ForwardedPortLocal</c> (2026.0.0) pins thread-pool threads for as long as a forward lives
    /// (its listener loop and the channel pump <c>ChannelDirectTcpip.Bind</c> block); we cannot move those.
    /// The connector caps forwards per jump host, so it raises the pool minimum by exactly that many threads,
    /// once per cap: capacity for the library's bounded blocking, not a cover for blocking of our own
    /// (our reads are event-driven and our blocking calls run on dedicated threads, see above).
    /// </summary>
    public static void ReserveForForwards(int forwards)
    {
        var needed = forwards * 2;
        int current;
        do
        {
            current = Volatile.Read(ref s_reserved);
            if (current >= needed)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref s_reserved, needed, current) != current);

        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(workers + needed - current, io);
    }
}
