# syntax=docker/dockerfile:1
# The lab (real OpenSSH jump host + emulated Huawei VRP switches) for compose.lab.yaml. Demo only: it runs as
# root inside its container because it creates the lab accounts and starts sshd instances.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt NetOpsBot.sln ./
COPY src/ src/
RUN dotnet publish src/NetOpsBot.Cli/NetOpsBot.Cli.csproj -c Release -o /cli -p:UseAppHost=false -nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server openssh-client iproute2 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/sshd
COPY --from=build /cli /cli
COPY infra/docker/lab-entrypoint.sh /lab-entrypoint.sh
ENTRYPOINT ["/bin/sh", "/lab-entrypoint.sh"]
