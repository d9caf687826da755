global using Xunit;
global using NetOpsBot.Host.Tests;
