/// The script a running experiment's page carries: it asks `/api/experiments/{name}/status`
/// every few seconds and, when the version changed, replaces the report's sections with
/// `/experiments/{name}/body` (with the page's query: its chart options); it stops once the
/// experiment is finished. The page is complete without it (charts are rendered on the server).
enum LiveScript {
    static func source(experiment: String, version: Int, every milliseconds: Int) -> String {
        let path = ExperimentListPage.escapePath(experiment)
        return """
            (function(){var version=\(version),base="/experiments/\(path)",api="/api/experiments/\(path)/status";
            var live=document.getElementById("live");live.className="live running";
            function poll(){fetch(api,{cache:"no-store"}).then(function(r){return r.json();}).then(function(s){
            live.textContent=s.progress.line;var done=s.progress.finished;
            var next=done?function(){live.className="live";}:function(){setTimeout(poll,\(milliseconds));};
            if(s.version!==version){return \
            fetch(base+"/body"+location.search,{cache:"no-store"}).then(function(r){return r.text();})
            .then(function(html){document.getElementById("report").innerHTML=html;version=s.version;next();});}
            next();}).catch(function(){setTimeout(poll,\(milliseconds * 2));});}
            setTimeout(poll,\(milliseconds));})();
            """
    }
}
