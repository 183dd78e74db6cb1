namespace Relay.Bench.Tests;

/// <summary>The soak reads /proc and Prometheus text itself: what it takes out of each.</summary>
public sealed class NodeSampleTests
{
    [Fact]
    public void Reads_resident_memory_and_threads_from_proc_status()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 3000000 kB\nVmRSS:\t  183456 kB\nRssAnon:\t 120000 kB\nThreads:\t47\nSigQ:\t0/63428\n";

        var (rss, threads) = NodeSample.ParseStatus(status);

        Assert.Equal(183456L * 1024, rss);
        Assert.Equal(47, threads);
    }

    [Fact]
    public void A_status_without_the_fields_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => NodeSample.ParseStatus("Name:\tdotnet\n"));
    }

    [Fact]
    public void Sums_the_series_of_a_metric_whose_labels_match_and_nothing_that_only_begins_with_its_name()
    {
        const string exposition = """
            # HELP relay_connections Clients connected now.
            # TYPE relay_connections gauge
            relay_connections{otel_scope_name="RelayChat",transport="tcp"} 42
            relay_connections{otel_scope_name="RelayChat",transport="udp"} 3
            relay_connections_accepted_total{otel_scope_name="RelayChat",transport="tcp"} 9000
            relay_registry_id_blocks{otel_scope_name="RelayChat"} 17
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 1000
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 2500
            plain_metric 7 1700000000000
            """;

        Assert.Equal(42, NodeSample.Metric(exposition, "relay_connections", "transport=\"tcp\""));
        Assert.Equal(45, NodeSample.Metric(exposition, "relay_connections"));
        Assert.Equal(17, NodeSample.Metric(exposition, "relay_registry_id_blocks"));
        Assert.Equal(3500, NodeSample.Metric(exposition, "dotnet_gc_last_collection_heap_size_bytes"));
        Assert.Equal(7, NodeSample.Metric(exposition, "plain_metric"));
        Assert.Null(NodeSample.Metric(exposition, "relay_registry_shards"));
    }

    [Fact]
    public void Counts_close_wait_sockets_on_one_local_port()
    {
        // Port 0x25ED = 9709; state 08 is CLOSE-WAIT, 01 ESTABLISHED, 0A LISTEN.
        const string table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:25ED 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
               1: 0100007F:25ED 0100007F:D431 08 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
               2: 0100007F:25ED 0100007F:D432 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1
               3: 0100007F:D433 0100007F:25ED 08 00000000:00000000 00:00000000 00000000     0        0 4 1 0 20 4 30 10 -1
            """;

        Assert.Equal(1, NodeSample.CloseWaitOn(9709, table));
    }
}
