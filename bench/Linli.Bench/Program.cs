using BenchmarkDotNet.Running;
using Linli.Bench;

// "roundtrip": Direct Line post → reply on the stream against a real Linli process; anything else: BenchmarkDotNet.
if (args is ["nlu", ..])
    return IntentRouting.Run();
if (args is ["roundtrip", ..])
    return await DirectLineRoundTrip.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 500);

BenchmarkSwitcher.FromAssembly(typeof(BillQueryBenchmarks).Assembly).Run(args);
return 0;
