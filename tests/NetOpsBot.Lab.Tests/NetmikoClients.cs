namespace NetOpsBot.Lab.Tests;

/// <summary>
/// One netmiko check at a time in this assembly. netmiko 2.4.2 with <c>fast_cli</c> reads the channel on 100 ms
/// sleeps, not on the prompt: with two labs starting and two clients running in parallel test classes, a read came
/// back before the switch had answered ("Unable to find prompt", a `show ip route` output of bare prompts) about
/// one run in two. The checks are about what the emulator says, so they run one after another.
/// </summary>
internal static class NetmikoClients
{
    private static readonly SemaphoreSlim One = new(1, 1);

    public static async Task<IDisposable> TakeTurnAsync()
    {
        await One.WaitAsync();
        return new Turn();
    }

    private sealed class Turn : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                One.Release();
            }
        }
    }
}
