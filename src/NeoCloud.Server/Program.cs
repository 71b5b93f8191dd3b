using NeoCloud.Server.Hosting;

return await ServerCommandLine.Create().Parse(args).InvokeAsync();
