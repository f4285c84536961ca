window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "1", "created_at" : "Thu Nov 03 08:50:26 +0000 2022", "full_text" : "fine" } },
  { "tweet" : { "id_str" : "2", "created_at" : "sometime in 2022", "full_text" : "bad date" } },
  { "tweet" : { "full_text" : "no id" } },
  { "tweet" : { "id_str" : "1", "created_at" : "Thu Nov 03 08:50:26 +0000 2022", "full_text" : "dup" } }
]
