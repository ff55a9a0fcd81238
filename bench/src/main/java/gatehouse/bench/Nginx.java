package gatehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** nginx as the reference reverse proxy, one worker, keep-alive to the upstream; when installed. */
final class Nginx implements AutoCloseable {

    private final Process process;

    private Nginx(Process process) {
        this.process = process;
    }

    /** The nginx on PATH or in /usr/sbin, if any. */
    static Optional<Path> find() {
        List<String> dirs =
                new ArrayList<>(
                        List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"));
        for (String dir : dirs) {
            Path nginx = Path.of(dir, "nginx");
            if (Files.isExecutable(nginx)) {
                return Optional.of(nginx);
            }
        }
        return Optional.empty();
    }

    static Nginx start(Path executable, Path prefix, int port, int upstreamPort, List<String> pin)
            throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(
                conf,
                """
                worker_processes 1;
                daemon off;
                error_log %1$s/logs/error.log warn;
                pid %1$s/nginx.pid;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream tiny { server 127.0.0.1:%3$d; keepalive 256; }
                  server {
                    listen 127.0.0.1:%2$d;
                    location / {
                      proxy_pass http://tiny;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                    }
                  }
                }
                """
                        .formatted(prefix.toAbsolutePath(), port, upstreamPort));
        List<String> command = new ArrayList<>(pin);
        command.addAll(
                List.of(
                        executable.toString(),
                        "-p",
                        prefix.toAbsolutePath().toString(),
                        "-c",
                        conf.toAbsolutePath().toString()));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(prefix.resolve("logs/nginx.out").toFile())
                        .start();
        return new Nginx(process);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}
