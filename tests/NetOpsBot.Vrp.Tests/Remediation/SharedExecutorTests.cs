using System.Reflection;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Vrp.Remediation;

namespace NetOpsBot.Vrp.Tests.Remediation;

/// <summary>VRP runs its plans on Core's executor skeleton and recovery watch; it keeps no copy of its own.</summary>
public sealed class SharedExecutorTests
{
    [Fact]
    public void The_vrp_executor_is_the_core_skeleton_with_vrp_words()
    {
        Assert.True(typeof(RemediationExecutor).IsSubclassOf(typeof(RemediationExecutorBase)));
    }

    [Fact]
    public void The_vrp_assembly_has_no_recovery_watch_of_its_own()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var copies = typeof(RemediationExecutor).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(All).Select(m => $"{t.FullName}.{m.Name}"))
            .Where(n => n.EndsWith(".WatchAsync", StringComparison.Ordinal) || n.EndsWith(".LoginCheckAsync", StringComparison.Ordinal) || n.EndsWith(".NoteProbeProblem", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(copies);
    }
}
