using NeoCloud.Cli;

return await NeoctlApp.RunAsync(args, handler: null, Console.Out, Console.Error);
