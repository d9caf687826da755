using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Issue 16 seam 3: a chat surface is only its protocol edge. When and in what order cards and thread lines go out is
/// Core's <c>CardPublisher</c>, background work is Core's <c>BackgroundJobs</c>; a surface that grows its own
/// coalescer or work queue again fails here.
/// </summary>
public sealed class ChatSurfaceTests
{
    public static TheoryData<string> ChatPlatforms() => [ProjectRules.Teams, ProjectRules.Slack];

    [Theory]
    [MemberData(nameof(ChatPlatforms))]
    public void ChatPlatform_HasNoCoalescerOrWorkQueueOfItsOwn(string project) =>
        Types().That().ResideInAssembly(Assemblies.Of(project))
            .Should().NotDependOnAny(Types(true).That().HaveFullName("NetOpsBot.Core.Chat.UpdateCoalescer")
                .Or().ResideInNamespaceMatching(@"^System\.Threading\.Channels$"))
            .Because("cards are published by Core's CardPublisher and background work runs on Core's BackgroundJobs")
            .Check(Assemblies.Architecture);

    [Theory]
    [MemberData(nameof(ChatPlatforms))]
    public void ChatPlatform_PublishesThroughACardSink(string project) =>
        Assert.Contains(Assemblies.Of(project).GetTypes(), t => t.GetInterfaces().Any(i => i.FullName == "NetOpsBot.Core.Chat.ICardSink"));

    [Fact]
    public void TheWebChat_HasNoCoalescerOfItsOwn() =>
        Types().That().ResideInAssembly(Assemblies.Of(ProjectRules.Host))
            .Should().NotDependOnAny(Types(true).That().HaveFullName("NetOpsBot.Core.Chat.UpdateCoalescer"))
            .Because("the web chat's card and lines go out through Core's CardPublisher like every surface's")
            .Check(Assemblies.Architecture);
}
