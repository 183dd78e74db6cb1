using Relay.Actors.TcpTransport;

namespace Relay.Actors.Tests.TcpTransport;

public sealed class OpenFileLimitTests
{
    [Fact]
    public void Reads_the_soft_limit_from_proc_limits()
    {
        const string limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             94147                94147                processes
            Max open files            1024                 4096                 files
            Max locked memory         8388608              8388608              bytes
            """;

        Assert.Equal(1024, OpenFileLimit.Parse(limits));
    }

    [Fact]
    public void Has_no_limit_when_unlimited_or_absent()
    {
        Assert.Null(OpenFileLimit.Parse("Max open files            unlimited            unlimited            files\n"));
        Assert.Null(OpenFileLimit.Parse("Max processes 10 10 processes\n"));
    }

    [Fact]
    public void Reads_this_processes_limit_on_linux()
    {
        if (OperatingSystem.IsLinux())
            Assert.InRange(OpenFileLimit.Read() ?? 0, 64, long.MaxValue);
    }
}
