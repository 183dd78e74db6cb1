using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Relay.Protocol.Benchmarks.CodecBenchmarks).Assembly).Run(args);
