window.YTD.tweets.part1 = [
  { "tweet" : { "id_str" : "9", "created_at" : "Thu Nov 03 08:50:26 +0000 2022", "full_text" : "cut
