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
    return await TeaTableVsBareHub.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1000,
        args.Length > 2 ? int.Parse(args[2]) : 10, args.Length > 3 ? int.Parse(args[3]) : 3,
        args.Length > 4 ? int.Parse(args[4]) : 10);
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
