using BenchmarkDotNet.Running;
using Linli.Bench;

// "roundtrip": Direct Line post → reply on the stream; "console": a report → the staff console; both against a real
// Linli process. Anything else: BenchmarkDotNet.
if (args is ["nlu", ..])
    return IntentRouting.Run(blind: args.Contains("--blind"));
if (args is ["tea", ..])
    return await TeaTableFanOut.RunAsync(
        args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 20);
if (args is ["console", ..])
    return await ConsoleDelivery.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 300);
if (args is ["fees", ..])
    return FeeFigures.Run(args.Length > 1 ? int.Parse(args[1]) : 2000);
if (args is ["cluster", ..])
    return await ClusterThroughput.RunAsync(
        args.Length > 1 ? int.Parse(args[1]) : 200, args.Length > 2 ? int.Parse(args[2]) : 20);
if (args is ["turns", ..])
    return await TurnsVsEchoBot.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 16,
        args.Length > 2 ? int.Parse(args[2]) : 5, args.Length > 3 ? int.Parse(args[3]) : 3);
if (args is ["fanout", ..])
{
    var n = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(int.Parse).ToArray();
    return await TeaTableVsBareHub.RunAsync(n.Length > 0 ? n[0] : 1000, n.Length > 1 ? n[1] : 10,
        n.Length > 2 ? n[2] : 3, n.Length > 3 ? n[3] : 10, messagePack: args.Contains("--messagepack"));
}
if (args is ["barehub", ..])
    return await BareHub.ServeAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:0");
if (args is ["connections", ..])
    return await IdleConnections.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10000,
        args.Length > 2 ? int.Parse(args[2]) : 2000, args.Length > 3 ? int.Parse(args[3]) : 100,
        args.Length > 4 ? int.Parse(args[4]) : 10);
if (args is ["startup", ..])
    return await StartUpTimes.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 3);
if (args is ["roundtrip", ..])
    return await DirectLineRoundTrip.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 500);

BenchmarkSwitcher.FromAssembly(typeof(BillQueryBenchmarks).Assembly).Run(args);
return 0;
