using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Linli.Bench.BillQueryBenchmarks).Assembly).Run(args);
