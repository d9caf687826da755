using NetOpsBot.Core.Remediation;
using NetOpsBot.IosXe.Remediation;

namespace NetOpsBot.IosXe.Tests;

/// <summary>IOS-XE runs its plans on the same Core skeleton (and so the same recovery watch) as VRP.</summary>
public sealed class SharedExecutorTests
{
    [Fact]
    public void The_iosxe_executor_is_the_core_skeleton_with_ios_words()
    {
        Assert.True(typeof(IosXeRemediationExecutor).IsSubclassOf(typeof(RemediationExecutorBase)));
    }
}
